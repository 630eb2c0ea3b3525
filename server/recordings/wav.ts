/** What a WAV file's header says about its audio. */
export interface WavInfo {
  /** 1: PCM */
  audioFormat: number;
  channels: number;
  sampleRate: number;
  bitsPerSample: number;
  byteRate: number;
  /** bytes of audio, from the data chunk's header */
  dataBytes: number;
  /** where the audio starts in the file */
  dataOffset: number;
  durationMs: number;
}

/**
 * Reads a RIFF/WAVE header (the start of the file is enough: up to the data chunk's header).
 * Returns undefined for anything else: not RIFF/WAVE, no fmt chunk before the data, a byte
 * rate of 0. Chunks between fmt and data (LIST, fact) are skipped.
 */
export function readWavHeader(head: Buffer): WavInfo | undefined {
  if (head.length < 12 || head.toString('ascii', 0, 4) !== 'RIFF' || head.toString('ascii', 8, 12) !== 'WAVE') return undefined;
  let fmt: Omit<WavInfo, 'dataBytes' | 'dataOffset' | 'durationMs'> | undefined;
  let at = 12;
  while (at + 8 <= head.length) {
    const id = head.toString('ascii', at, at + 4);
    const size = head.readUInt32LE(at + 4);
    if (id === 'fmt ' && at + 24 <= head.length) {
      fmt = {
        audioFormat: head.readUInt16LE(at + 8), channels: head.readUInt16LE(at + 10), sampleRate: head.readUInt32LE(at + 12),
        byteRate: head.readUInt32LE(at + 16), bitsPerSample: head.readUInt16LE(at + 22),
      };
    } else if (id === 'data') {
      if (fmt === undefined || fmt.byteRate === 0) return undefined;
      return { ...fmt, dataBytes: size, dataOffset: at + 8, durationMs: Math.round((size * 1000) / fmt.byteRate) };
    }
    at += 8 + size + (size % 2); // chunks are padded to an even length
  }
  return undefined;
}
