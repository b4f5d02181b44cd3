/** `npm run build:web`: builds the modeler's browser bundle ahead of the first start (the server builds it too). */
import { ensureModelerBundle } from './bundle';

ensureModelerBundle().then(
  (dir) => console.log(`modeler: browser bundle in ${dir}`),
  (error: unknown) => {
    console.error('modeler: building the browser bundle failed', error);
    process.exitCode = 1;
  },
);
