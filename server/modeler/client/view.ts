/** A deployed version or a draft, read-only. */
import NavigatedViewer from 'bpmn-js/lib/NavigatedViewer';
import zeebeModdle from 'zeebe-bpmn-moddle/resources/zeebe.json';
import { format, pageData, showStatus, type PageData } from './page';
import { translationModules } from './translate';

const data = pageData<PageData & { xml: string }>();
const viewer = new NavigatedViewer({ container: '#modeler-canvas', additionalModules: translationModules(document.documentElement.lang), moddleExtensions: { zeebe: zeebeModdle } });
viewer
  .importXML(data.xml)
  .then(() => {
    viewer.get<{ zoom(level: string): void }>('canvas').zoom('fit-viewport');
    document.body.setAttribute('data-modeler-ready', 'true');
  })
  .catch((error: Error) => showStatus(format(data.messages.importFailed ?? '', { reason: error.message }), 'error'));
