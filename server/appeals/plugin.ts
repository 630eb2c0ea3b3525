import type { FastifyInstance } from 'fastify';
import { appealInvalid } from './errors.js';
import { appealRoutes } from './routes.js';
import type { AppealService, ConsultationService } from './service.js';

export async function appealsPlugin(app: FastifyInstance, deps: { appeals: AppealService; consultations: ConsultationService }): Promise<void> {
  // Schema failures in this feature carry its own code and name the field: a missing property
  // is named by its would-be path ('/subject'), not by the object that lacks it.
  app.setSchemaErrorFormatter((errors, part) => {
    const named = errors.map((e) => {
      const missing = e.keyword === 'required' ? `/${String(e.params.missingProperty)}`
        : e.keyword === 'additionalProperties' ? `/${String(e.params.additionalProperty)}` : '';
      return { path: `${e.instancePath}${missing}`, message: e.message ?? e.keyword };
    });
    return appealInvalid(named[0]?.path ?? '', part, named);
  });
  await app.register(appealRoutes, deps);
}
