/**
 * GET /api/v1/namespaces/{ns}/workflows/{id}/run/{run}/history.json: the whole history as one JSON
 * array of events, paged through GetWorkflowExecutionHistory (the UI's "download" link).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiContext, callFrontend, sendJson } from './api';
import { errorFromGrpc } from './errors';
import { fromJson, toJson } from './proto-json';

const PATTERN = /^\/namespaces\/([^/]+)\/workflows\/([^/]+)\/run\/([^/]+)\/history\.json$/;

export function isRawHistory(subpath: string): boolean {
  return PATTERN.test(subpath);
}

export async function streamRawHistory(ctx: ApiContext, req: IncomingMessage, res: ServerResponse, subpath: string): Promise<void> {
  const [, namespace, workflowId, runId] = PATTERN.exec(subpath)!.map((s) => decodeURIComponent(s));
  const rule = ctx.router.rules.find((r) => r.method === 'GetWorkflowExecutionHistory')!;
  const eventType = rule.responseType.lookupType('temporal.api.history.v1.HistoryEvent');
  let nextPageToken: Uint8Array | undefined;
  let started = false;
  let written = 0;
  do {
    const request = fromJson(rule.requestType, { namespace, execution: { workflowId, runId } });
    if (nextPageToken) (request as unknown as { nextPageToken: Uint8Array }).nextPageToken = nextPageToken;
    let page: { history?: { events?: unknown[] }; nextPageToken?: Uint8Array };
    try {
      page = (await callFrontend(ctx, req, res, rule, request)) as unknown as typeof page;
    } catch (err) {
      if (started) break;
      const e = errorFromGrpc(err);
      sendJson(req, res, e.status, e.body);
      return;
    }
    if (!started) {
      res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' }).write('[');
      started = true;
    }
    for (const event of page.history?.events ?? []) {
      res.write(`${written++ ? ',' : ''}${JSON.stringify(toJson(eventType, event as Record<string, unknown>))}`);
    }
    nextPageToken = page.nextPageToken?.length ? page.nextPageToken : undefined;
  } while (nextPageToken && !res.destroyed);
  res.end(']');
}
