import type { FastifyRequest } from 'fastify';
import { currentAgent } from '../auth/guards.js';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import {
  AppealListQuery, AppealParams, AppealView, ConsultationView, DueSoonQuery, DueSoonView, NewAppealBody, NewConsultationBody, StatusChangeBody,
} from './schemas.js';
import type { AppealService, ConsultationService } from './service.js';

/** Who acts: the logged-in agent, from the session, never from the body. */
const actingAgent = (req: FastifyRequest): number => currentAgent(req).id;

/** Appeals (обращения) registered and followed by agents, and consultations given on the spot. */
export const appealRoutes: FastifyPluginAsyncTypebox<{ appeals: AppealService; consultations: ConsultationService }> =
  async (app, { appeals, consultations }) => {
    app.post('/api/appeals', { schema: { body: NewAppealBody, response: { 200: AppealView, 201: AppealView } } }, async (req, reply) => {
      const { appeal, created } = await appeals.register(req.body, actingAgent(req));
      return reply.code(created ? 201 : 200).send(appeal);
    });

    app.get('/api/appeals', { schema: { querystring: AppealListQuery, response: { 200: Type.Array(AppealView) } } },
      async (req) => appeals.list(req.query));

    // For the supervisor's wallboard; a static path, so it never reads as an appeal number.
    app.get('/api/appeals/due-soon', { schema: { querystring: DueSoonQuery, response: { 200: Type.Array(DueSoonView) } } },
      async (req) => appeals.dueSoon(req.query.days));

    app.get('/api/appeals/:number', { schema: { params: AppealParams, response: { 200: AppealView } } },
      async (req) => appeals.get(req.params.number));

    app.patch('/api/appeals/:number', { schema: { params: AppealParams, body: StatusChangeBody, response: { 200: AppealView } } },
      async (req) => appeals.changeStatus(req.params.number, req.body.status, actingAgent(req)));

    app.post('/api/consultations', { schema: { body: NewConsultationBody, response: { 201: ConsultationView } } }, async (req, reply) => {
      return reply.code(201).send(await consultations.record(req.body, actingAgent(req)));
    });
  };
