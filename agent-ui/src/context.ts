import { createContext } from '@lit/context';
import type { SessionAgent } from '../../server/auth/schemas.js';
import type { Api } from './api.js';
import type { Lang } from './i18n/index.js';

/*
 * What the app shell provides to every component below it. Components @consume these and also
 * accept them as plain properties, so a component test sets them directly without a shell.
 */
export const apiContext = createContext<Api>(Symbol('cc-api'));
export const langContext = createContext<Lang>(Symbol('cc-lang'));
export const agentContext = createContext<SessionAgent | undefined>(Symbol('cc-agent'));
