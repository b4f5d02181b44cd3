/**
 * The web modeler: pages under /modeler, the JSON API under /api/modeler and the browser bundle under
 * /modeler/assets. Every signed-in user may look at processes, versions, drafts and comparisons; only analysts
 * and admins save drafts, upload and deploy.
 */
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import type { Knex } from 'knex';
import type { ZBClient } from 'zeebe-node';
import { z } from 'zod';
import { PROCESSES } from '../../processes/catalogue';
import { recordAudit } from '../auth/audit';
import { currentUser, hasRole, requireLogin, requireRole } from '../auth/sessionUser';
import { translate } from '../i18n';
import { escapeHtml } from '../web/layout';
import { sendPage } from '../web/sendPage';
import { MAX_MODEL_BYTES, parseProcessModel } from './bpmnDocument';
import { ensureModelerBundle } from './bundle';
import { deployModel } from './deployModel';
import { listDrafts, saveDraft } from './drafts';
import { latestVersion, loadModelSource, sourceRefSchema } from './modelSources';
import { sendComparePage, sendEditPage, sendProcessList, sendVersionPage, sourceLabel, type CompareChoice, type ProcessOverview } from './pages';
import { checkPlatformRules, knownNames } from './platformChecks';
import { deployedVersions, rememberDeployment } from './processVersions';
import { isApiRequest } from '../web/apiRequest';

export interface ModelerDependencies {
  knex: Knex;
  zbc: ZBClient;
}

const EDITORS = ['analyst', 'admin'] as const;
const requireEditor = requireRole(...EDITORS);

const processIdSchema = z.string().regex(/^[A-Za-z_][\w.-]{0,199}$/, 'not a BPMN process id');
const positiveInt = z.coerce.number().int().positive().max(999_999_999);
const draftQuery = z.object({ comment: z.string().trim().max(500).default('') });
const uploadQuery = z.object({ fileName: z.string().max(255).optional() });
/** Media types under which the API takes a model: the BPMN XML itself is the request body. */
const XML_TYPES = ['application/xml', 'text/xml', 'application/bpmn+xml'];
const compareQuery = z.object({ left: sourceRefSchema.default('latest'), right: sourceRefSchema.optional() });

class BadRequest extends Error {
  constructor(
    readonly fields: Record<string, string>,
    message = Object.values(fields).join('; '),
    readonly status = 400,
  ) {
    super(message);
  }
}

function xmlBody(request: Request): string {
  if (typeof request.body !== 'string') {
    throw new BadRequest({ xml: `send the BPMN XML as the request body (Content-Type: ${XML_TYPES[0]})` }, undefined, 415);
  }
  if (request.body.trim() === '') throw new BadRequest({ xml: 'the model is empty' });
  return request.body;
}

function parse<S extends z.ZodType>(schema: S, value: unknown, field?: string): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const fields: Record<string, string> = {};
  for (const issue of result.error.issues) fields[[field, ...issue.path].filter((p) => p !== undefined).join('.') || 'request'] ??= issue.message;
  throw new BadRequest(fields);
}

/** Runs an async handler, turning a BadRequest into 400 (JSON for the API, a page otherwise). */
function handle(handler: (request: Request, response: Response) => Promise<void>) {
  return (request: Request, response: Response, next: NextFunction) => {
    handler(request, response).catch((error: unknown) => {
      if (!(error instanceof BadRequest)) return next(error);
      if (isApiRequest(request)) response.status(error.status).json({ error: 'invalid request', message: error.message, fields: error.fields });
      else sendNotFound(request, response, error.message, error.status);
    });
  };
}

function sendNotFound(request: Request, response: Response, what: string, status = 404): void {
  const text = translate(request.locale, 'modeler.notFound', { what });
  sendPage(request, response, { title: text, nav: 'modeler', status, body: `<h1>${escapeHtml(text)}</h1>` });
}

async function parseModel(xml: string, processId?: string) {
  const parsed = await parseProcessModel(xml, processId);
  if (!parsed.ok) throw new BadRequest({ xml: parsed.message });
  return parsed.definitions;
}

async function overview(knex: Knex): Promise<ProcessOverview[]> {
  const [versions, drafts] = await Promise.all([deployedVersions(knex), listDrafts(knex)]);
  const names = new Map<string, string>(PROCESSES.map((p) => [p.id, p.name]));
  const ids = [...new Set<string>([...names.keys(), ...versions.map((v) => v.processId), ...drafts.map((d) => d.processId)])];
  return ids.map((processId) => ({
    processId,
    name: names.get(processId),
    versions: versions.filter((v) => v.processId === processId),
    drafts: drafts.filter((d) => d.processId === processId),
  }));
}

/** The modeler's browser bundle; public files, so the app serves them ahead of sessions and body parsing. */
export function modelerAssets(): express.RequestHandler {
  const bundle = ensureModelerBundle();
  bundle.catch((error: unknown) => console.error('modeler: building the browser bundle failed', error));
  let serve: express.RequestHandler | undefined;
  return (request, response, next) => {
    if (serve) return serve(request, response, next);
    bundle.then((dir) => {
      serve = express.static(dir, { fallthrough: false, maxAge: '1h' });
      serve(request, response, next);
    }, next);
  };
}

export function modelerRouter({ knex, zbc }: ModelerDependencies): Router {
  const router = express.Router();
  // The platform parses JSON and forms up to 100 kB; models come as XML bodies and may be larger.
  const xml = express.text({ type: XML_TYPES, limit: MAX_MODEL_BYTES });


  // Pages.
  router.get(
    '/modeler',
    requireLogin,
    handle(async (request, response) => {
      sendProcessList(request, response, await overview(knex), hasRole(request.user, ...EDITORS));
    }),
  );

  router.get(
    '/modeler/:processId/edit',
    requireEditor,
    handle(async (request, response) => {
      const processId = parse(processIdSchema, request.params.processId, 'processId');
      const draft = request.query.draft === undefined ? undefined : parse(positiveInt, request.query.draft, 'draft');
      const ref = draft === undefined ? 'latest' : `draft:${draft}`;
      const source = await loadModelSource(knex, processId, ref);
      if (!source) return sendNotFound(request, response, `${processId} ${ref}`);
      sendEditPage(request, response, processId, source);
    }),
  );

  router.get(
    '/modeler/:processId/versions/:version',
    requireLogin,
    handle(async (request, response) => {
      const processId = parse(processIdSchema, request.params.processId, 'processId');
      const version = parse(positiveInt, request.params.version, 'version');
      const source = await loadModelSource(knex, processId, `version:${version}`);
      if (source?.kind !== 'version') return sendNotFound(request, response, `${processId} v${version}`);
      sendVersionPage(request, response, processId, source);
    }),
  );

  router.get(
    '/modeler/:processId/compare',
    requireLogin,
    handle(async (request, response) => {
      const processId = parse(processIdSchema, request.params.processId, 'processId');
      const query = parse(compareQuery, request.query);
      const [versions, drafts] = await Promise.all([deployedVersions(knex, processId), listDrafts(knex, processId)]);
      const rightRef = query.right ?? (drafts[0] ? `draft:${drafts[0].id}` : 'latest');
      // 'latest' is named from the versions just read, rather than read again per side.
      const newest = versions.at(-1);
      const resolve = (ref: string) => (ref !== 'latest' ? ref : newest ? `version:${newest.version}` : 'file');
      const [left, right] = await Promise.all([loadModelSource(knex, processId, resolve(query.left)), loadModelSource(knex, processId, resolve(rightRef))]);
      if (!left || !right) return sendNotFound(request, response, `${processId} ${left ? rightRef : query.left}`);
      const choices: CompareChoice[] = [
        ...[...versions].reverse().map((v) => ({ ref: `version:${v.version}`, label: sourceLabel(request, { kind: 'version', ref: '', version: v.version, xml: '' }) })),
        ...drafts.map((d) => ({ ref: `draft:${d.id}`, label: sourceLabel(request, { kind: 'draft', ref: '', draft: d, xml: '' }) })),
      ];
      sendComparePage(request, response, processId, { left, right }, choices);
    }),
  );

  // JSON API.
  router.get(
    '/api/modeler/processes',
    requireLogin,
    handle(async (_request, response) => {
      response.json({ processes: await overview(knex) });
    }),
  );

  router.post(
    '/api/modeler/check',
    requireLogin,
    xml,
    handle(async (request, response) => {
      const definitions = await parseModel(xmlBody(request));
      response.json({ issues: checkPlatformRules(definitions, await knownNames(knex), request.locale) });
    }),
  );

  router.get(
    '/api/modeler/:processId/versions/:version',
    requireLogin,
    handle(async (request, response) => {
      const processId = parse(processIdSchema, request.params.processId, 'processId');
      const version = parse(positiveInt, request.params.version, 'version');
      const source = await loadModelSource(knex, processId, `version:${version}`);
      if (source?.kind !== 'version') {
        response.status(404).json({ error: 'not found', message: `${processId} has no version ${version}` });
        return;
      }
      response.json({ processId, version, xml: source.xml });
    }),
  );

  router.get(
    '/api/modeler/:processId/drafts',
    requireLogin,
    handle(async (request, response) => {
      const processId = parse(processIdSchema, request.params.processId, 'processId');
      response.json({ drafts: await listDrafts(knex, processId) });
    }),
  );

  router.get(
    '/api/modeler/:processId/drafts/:id',
    requireLogin,
    handle(async (request, response) => {
      const processId = parse(processIdSchema, request.params.processId, 'processId');
      const id = parse(positiveInt, request.params.id, 'id');
      const source = await loadModelSource(knex, processId, `draft:${id}`);
      if (source?.kind !== 'draft') {
        response.status(404).json({ error: 'not found', message: `${processId} has no draft ${id}` });
        return;
      }
      response.json({ ...source.draft, xml: source.xml });
    }),
  );

  router.post(
    '/api/modeler/:processId/drafts',
    requireEditor,
    xml,
    handle(async (request, response) => {
      const processId = parse(processIdSchema, request.params.processId, 'processId');
      const { comment } = parse(draftQuery, request.query);
      const model = xmlBody(request);
      await parseModel(model, processId);
      response.status(201).json(await saveDraft(knex, { processId, xml: model, comment, author: currentUser(request).username }));
    }),
  );

  router.post(
    '/api/modeler/:processId/upload',
    requireEditor,
    xml,
    handle(async (request, response) => {
      const processId = parse(processIdSchema, request.params.processId, 'processId');
      const { fileName } = parse(uploadQuery, request.query);
      const model = xmlBody(request);
      await parseModel(model, processId);
      const comment = translate(request.locale, 'modeler.uploadedComment', { file: fileName ?? `${processId}.bpmn` });
      const draft = await saveDraft(knex, { processId, xml: model, comment, author: currentUser(request).username });
      response.status(201).json({ ...draft, xml: model });
    }),
  );

  router.post(
    '/api/modeler/:processId/deploy',
    requireEditor,
    xml,
    handle(async (request, response) => {
      const processId = parse(processIdSchema, request.params.processId, 'processId');
      const model = xmlBody(request);
      await parseModel(model, processId);
      const previous = await latestVersion(knex, processId);
      const outcome = await deployModel(zbc, processId, model);
      if (!outcome.ok) {
        response.status(400).json({ error: 'deployment rejected', elementId: outcome.problems[0]?.elementId, message: outcome.message, problems: outcome.problems });
        return;
      }
      // Zeebe answers an unchanged model with the version it already has.
      const created = previous === undefined || outcome.version > previous;
      const user = currentUser(request);
      if (created) {
        await rememberDeployment(knex, { processId, version: outcome.version, processDefinitionKey: outcome.processDefinitionKey, xml: model, deployedBy: user.username });
      }
      await recordAudit(knex, {
        actor: user.username,
        action: 'modeler.deploy',
        target: `${processId} v${outcome.version}`,
        detail: { processDefinitionKey: outcome.processDefinitionKey, created },
        ip: request.ip ?? null,
      });
      response.json({ processId, version: outcome.version, processDefinitionKey: outcome.processDefinitionKey, created });
    }),
  );

  // The model body parser's failures.
  router.use('/api/modeler', (error: { type?: string; status?: number; message?: string }, _request: Request, response: Response, next: NextFunction) => {
    if (error.type === 'entity.too.large') response.status(413).json({ error: 'too large', message: `a model may have at most ${MAX_MODEL_BYTES} bytes` });
    else if (error.type === 'charset.unsupported') response.status(415).json({ error: 'invalid request', message: error.message });
    else next(error);
  });
  return router;
}
