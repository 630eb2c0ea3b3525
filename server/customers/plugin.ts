import type { FastifyInstance } from 'fastify';
import type { Db } from '../db/database.js';
import { customerRoutes } from './routes.js';

export async function customersPlugin(app: FastifyInstance, deps: { db: Db; clock: () => number }): Promise<void> {
  await app.register(customerRoutes, deps);
}
