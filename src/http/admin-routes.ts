import express, { Router, type Request, type RequestHandler } from 'express';
import type { AdminApi } from '../core/index.js';
import { sendError, sendResult } from './errors.js';

/** What the admin API needs of the core. */
export type AdminCore = AdminApi;

/** A body was sent without a JSON content type (express.json left it unparsed). */
const requireJson: RequestHandler = (req, res, next) => {
  if (req.body === undefined) {
    sendError(res, 400, 'invalid_argument', 'The body is missing or not JSON: send a JSON object with Content-Type: application/json.', 'body');
    return;
  }
  next();
};

const param = (req: Request, name: string): string => String(req.params[name] ?? '');
const query = (req: Request) => req.query as Record<string, unknown>;

/** The /api routes (mounted under /api, after the token check). */
export function createAdminRoutes(core: AdminCore): Router {
  const api = Router();
  api.use(express.json());

  api.post('/agents', requireJson, async (req, res) => sendResult(res, await core.createAgent(req.body), 201));
  api.get('/agents', async (req, res) => {
    const q = query(req);
    sendResult(res, await core.listAgents({ limit: q.limit, after: q.after }));
  });
  api.get('/agents/:handle', async (req, res) => sendResult(res, await core.getAgent(param(req, 'handle'))));
  api.patch('/agents/:handle', requireJson, async (req, res) =>
    sendResult(res, await core.updateAgent(param(req, 'handle'), req.body)),
  );
  api.post('/agents/:handle/invite', async (req, res) => sendResult(res, await core.createInvite(param(req, 'handle')), 201));

  api.post('/inboxes', requireJson, async (req, res) => sendResult(res, await core.createInbox(req.body), 201));
  api.get('/inboxes', async (req, res) => {
    const q = query(req);
    sendResult(res, await core.listInboxes({ limit: q.limit, after: q.after }));
  });
  api.get('/inboxes/:name', async (req, res) => sendResult(res, await core.getInbox(param(req, 'name'))));
  api.patch('/inboxes/:name', requireJson, async (req, res) => sendResult(res, await core.updateInbox(param(req, 'name'), req.body)));
  api.put('/inboxes/:name/members', requireJson, async (req, res) =>
    sendResult(res, await core.setMembers(param(req, 'name'), req.body)),
  );
  api.delete('/inboxes/:name', async (req, res) => sendResult(res, await core.deleteInbox(param(req, 'name'))));

  // offboarding (SPEC §5) in two steps, as in chat: a preview with its code, then the confirmation
  api.post('/agents/:handle/offboard', async (req, res) =>
    sendResult(res, await core.offboardAgent(param(req, 'handle'), req.body ?? {}), 201),
  );
  // 202 while a long offboarding is still being carried out; GET /offboardings/:code has its summary later
  api.post('/offboardings/:code/confirm', async (req, res) => {
    const done = await core.confirmOffboarding(param(req, 'code'));
    sendResult(res, done, done.ok && done.value.state === 'running' ? 202 : 200);
  });
  api.get('/offboardings/:code', async (req, res) => sendResult(res, await core.getOffboarding(param(req, 'code'))));

  api.get('/jobs', async (req, res) => {
    const q = query(req);
    sendResult(res, await core.listJobs({ limit: q.limit, after: q.after, name: q.name, conversation: q.conversation, agent: q.agent }));
  });

  api.get('/conversations', async (req, res) => {
    const q = query(req);
    sendResult(
      res,
      await core.listConversations({ limit: q.limit, after: q.after, status: q.status, assignee: q.assignee, inbox: q.inbox }),
    );
  });
  api.get('/conversations/:number', async (req, res) => sendResult(res, await core.getConversation(param(req, 'number'))));
  api.get('/history', async (req, res) => {
    const q = query(req);
    sendResult(res, await core.listHistory({ limit: q.limit, after: q.after, agent: q.agent, conversation: q.conversation }));
  });

  api.use((req, res) => {
    sendError(res, 404, 'not_found', `No such endpoint: ${req.method} /api${req.path}. See the admin API in the README.`);
  });
  return api;
}
