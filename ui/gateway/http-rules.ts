/**
 * The HTTP API's routes, read from the `google.api.http` annotations that @temporalio/proto's
 * descriptors carry on every WorkflowService and OperatorService method, as grpc-gateway
 * generates them for Temporal's UI server. Only the `/api/v1` bindings: those are the UI's.
 */
import type * as PB from 'protobufjs';
import { root } from './proto';

export const SERVICES = ['temporal.api.workflowservice.v1.WorkflowService', 'temporal.api.operatorservice.v1.OperatorService'];

type Segment = { literal: string } | { variable: string[] };

export interface HttpRule {
  service: string;
  method: string;
  verb: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  template: string;
  /** "*" (whole body is the request), a field name, or undefined (no body: query parameters). */
  body?: string;
  segments: Segment[];
  requestType: PB.Type;
  responseType: PB.Type;
}

export interface RuleMatch {
  rule: HttpRule;
  /** Path variables by field path (proto names, e.g. ["execution", "workflow_id"]), decoded. */
  params: Array<[string[], string]>;
}

const VERBS = ['get', 'post', 'put', 'patch', 'delete'] as const;

interface HttpOption {
  get?: string;
  post?: string;
  put?: string;
  patch?: string;
  delete?: string;
  body?: string;
  additional_bindings?: HttpOption | HttpOption[];
}

function parseTemplate(template: string): Segment[] {
  return template
    .split('/')
    .filter(Boolean)
    .map((s) => {
      const m = /^\{([^}=]+)(?:=[^}]*)?\}$/.exec(s);
      return m ? { variable: m[1].split('.') } : { literal: s };
    });
}

/** Every /api/v1 binding of every method, most literal first so fixed paths win over variables. */
export function loadRules(): HttpRule[] {
  const rules: HttpRule[] = [];
  for (const serviceName of SERVICES) {
    const service = root.lookupService(serviceName);
    for (const method of Object.values(service.methods) as PB.Method[]) {
      method.resolve();
      for (const option of (method.parsedOptions ?? []) as Array<Record<string, HttpOption>>) {
        const http = option['(google.api.http)'];
        if (!http) continue;
        const bindings = [http, ...([] as HttpOption[]).concat(http.additional_bindings ?? [])];
        for (const b of bindings) {
          const verb = VERBS.find((v) => typeof b[v] === 'string');
          const template = verb ? (b[verb] as string) : '';
          if (!verb || !template.startsWith('/api/v1/')) continue;
          rules.push({
            service: serviceName,
            method: method.name,
            verb: verb.toUpperCase() as HttpRule['verb'],
            template,
            body: b.body || undefined,
            segments: parseTemplate(template.slice('/api/v1'.length)),
            requestType: method.resolvedRequestType!,
            responseType: method.resolvedResponseType!,
          });
        }
      }
    }
  }
  const literalWeight = (r: HttpRule) => r.segments.map((s) => ('literal' in s ? '1' : '0')).join('');
  return rules.sort((a, b) => (literalWeight(a) < literalWeight(b) ? 1 : literalWeight(a) > literalWeight(b) ? -1 : 0));
}

export class Router {
  private readonly bySize = new Map<number, HttpRule[]>();

  constructor(readonly rules: HttpRule[] = loadRules()) {
    for (const r of rules) {
      const list = this.bySize.get(r.segments.length) ?? [];
      list.push(r);
      this.bySize.set(r.segments.length, list);
    }
  }

  /**
   * The rule for a path below /api/v1 (still percent-encoded: an encoded "/" stays inside its
   * segment). 'method-not-allowed' when the path exists for other verbs only.
   */
  match(verb: string, rawPath: string): RuleMatch | 'method-not-allowed' | undefined {
    const parts = rawPath.split('/').filter(Boolean);
    let pathExists = false;
    for (const rule of this.bySize.get(parts.length) ?? []) {
      const params: Array<[string[], string]> = [];
      let ok = true;
      for (let i = 0; i < parts.length && ok; i++) {
        const seg = rule.segments[i];
        if ('literal' in seg) ok = seg.literal === parts[i];
        else params.push([seg.variable, decodeSegment(parts[i])]);
      }
      if (!ok) continue;
      pathExists = true;
      if (rule.verb === verb) return { rule, params };
    }
    return pathExists ? 'method-not-allowed' : undefined;
  }
}

function decodeSegment(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
