import t from 'tap';
import { ivrMenuCases, startIvrRig } from './ivr-cases.js';

/*
 * The IVR's menu cases again, with callers whose keys are RFC 2833 telephone-events in their RTP
 * (one generated stream per call, test/support/rfc2833.ts), the way real phones send them.
 */

ivrMenuCases(t, await startIvrRig(t, 'rfc2833'));
