/** classify (auto-reply, 7.12): sorts a written or web request by the keywords of its subject and text. */
import { z } from 'zod';
import { classifyText } from './classification';
import { completeWith, defineJobWorker } from './jobWorker';

export const classifyWorker = defineJobWorker({
  type: 'classify',
  input: z.object({
    subject: z.string().nullish(),
    content: z.string().trim().min(1),
  }),
  async handle({ subject, content }) {
    const { category, topic, needsPerson } = classifyText(`${subject ?? ''}\n${content}`);
    return completeWith({ category, topic, needsPerson });
  },
});
