import { inNetworkNamespace, rerunInNetworkNamespace } from '../support/netns.js';

/*
 * The agent's whole path in a real browser: Debian's chromium (fake microphone) against the real
 * server and the project's real Asterisk, with a sipp caller, all inside a network namespace of
 * this test's own (see ../support/netns.ts). This file only re-runs itself there; the test is
 * softphone-scenario.ts.
 */
if (inNetworkNamespace()) await import('./softphone-scenario.js');
else await rerunInNetworkNamespace(import.meta.url);
