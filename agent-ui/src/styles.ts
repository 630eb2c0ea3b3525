import { css } from 'lit';

/** The look every panel shares: calm colours, large click targets, visible keyboard focus. */
export const base = css`
  :host { box-sizing: border-box; font: inherit; color: #1b2430; }
  *, *::before, *::after { box-sizing: inherit; }
  button {
    font: inherit; padding: 6px 12px; border-radius: 6px; border: 1px solid #b8c2cf; background: #fff; color: #1b2430;
    cursor: pointer; min-height: 32px;
  }
  button:hover:not(:disabled) { background: #eef2f7; }
  button:disabled { opacity: .5; cursor: default; }
  button.primary { background: #1f6feb; border-color: #1f6feb; color: #fff; }
  button.primary:hover:not(:disabled) { background: #1a5fd0; }
  button.good { background: #1a7f37; border-color: #1a7f37; color: #fff; }
  button.good:hover:not(:disabled) { background: #116329; }
  button.bad { background: #cf222e; border-color: #cf222e; color: #fff; }
  button.bad:hover:not(:disabled) { background: #a40e26; }
  :focus-visible { outline: 3px solid #1f6feb; outline-offset: 2px; }
  input, select, textarea { font: inherit; padding: 5px 8px; border: 1px solid #b8c2cf; border-radius: 6px; background: #fff; color: inherit; }
  label { display: block; font-size: 12px; color: #57606a; margin-bottom: 2px; }
  .panel { background: #fff; border: 1px solid #d8dee4; border-radius: 8px; padding: 12px; }
  .muted { color: #57606a; }
  .error { color: #cf222e; }
  .warn { background: #fff8c5; border: 1px solid #d4a72c; border-radius: 6px; padding: 6px 10px; }
  .alert { background: #ffebe9; border: 1px solid #ff8182; border-radius: 6px; padding: 6px 10px; color: #82071e; }
  .num { font-variant-numeric: tabular-nums; }
  .sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
`;

/** The message an ApiError (or anything thrown) gives the agent. */
export function errorText(err: unknown, t: { common: { networkError: string; error: (code: string, message: string) => string } }): string {
  const e = err as { code?: string; message?: string };
  if (e.code === 'CC_ERR_NETWORK') return t.common.networkError;
  return t.common.error(e.code ?? 'ERROR', e.message ?? String(err));
}
