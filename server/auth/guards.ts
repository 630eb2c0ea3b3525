import type { FastifyRequest } from 'fastify';
import type { AgentRole } from '../db/schema.js';
import { authForbidden, authRequired } from './errors.js';
import type { SessionAgent } from './schemas.js';

declare module 'fastify' {
  interface FastifyRequest {
    /**
     * The logged-in staff member, set by the auth plugin's hook before any /api route that needs
     * a session runs; null on the public routes and outside /api.
     */
    agent: SessionAgent | null;
  }
}

/** The request's staff member; throws CC_ERR_AUTH_REQUIRED where there is none. */
export function currentAgent(req: FastifyRequest): SessionAgent {
  if (req.agent === null) throw authRequired();
  return req.agent;
}

/*
 * The guards below are route hooks. Routes attach them as `onRequest`, after the plugin-wide
 * session hook and before the body is read or validated: a forbidden request is answered 403
 * whatever it carries, and its body is never parsed. They work as `preHandler` too.
 */

/** Lets the request through when its agent has one of `roles`; CC_ERR_AUTH_FORBIDDEN otherwise. */
export function requireRole(...roles: AgentRole[]) {
  return async (req: FastifyRequest): Promise<void> => {
    const agent = currentAgent(req);
    if (!roles.includes(agent.role)) throw authForbidden(agent.role, roles);
  };
}

/**
 * Lets the request through when the route parameter `paramName` is the agent's own id, or the
 * agent has one of `roles` (supervisors acting on anyone); CC_ERR_AUTH_FORBIDDEN otherwise. The
 * parameter must be exactly the id's decimal form ('07' is not agent 7 here).
 */
export function requireSelfOrRole(paramName: string, ...roles: AgentRole[]) {
  return async (req: FastifyRequest): Promise<void> => {
    const agent = currentAgent(req);
    if (roles.includes(agent.role)) return;
    const param = (req.params as Record<string, unknown> | undefined)?.[paramName];
    // A string before validation (onRequest), a number after it (preHandler).
    if ((typeof param === 'string' || typeof param === 'number') && String(param) === String(agent.id)) return;
    throw authForbidden(agent.role, ['self', ...roles]);
  };
}
