import t from 'tap';
import { readWavHeader } from '../../server/recordings/wav.js';
import { silentWav } from '../support/fake-telephony.js';

t.test('an Asterisk wav file says 8 kHz 16-bit mono and how long it is', async (t) => {
  t.match(readWavHeader(silentWav(2500)), {
    audioFormat: 1, channels: 1, sampleRate: 8000, bitsPerSample: 16, byteRate: 16_000, dataBytes: 40_000, dataOffset: 44, durationMs: 2500,
  });
});

t.test('chunks between fmt and data are skipped', async (t) => {
  const wav = silentWav(1000);
  const list = Buffer.concat([Buffer.from('LIST'), Buffer.from([5, 0, 0, 0]), Buffer.from('INFOx'), Buffer.from([0])]); // odd size: one pad byte
  const withList = Buffer.concat([wav.subarray(0, 36), list, wav.subarray(36)]);
  t.match(readWavHeader(withList), { dataOffset: 44 + list.length, dataBytes: 16_000, durationMs: 1000 });
});

t.test('anything that is not RIFF/WAVE with fmt before data is refused', async (t) => {
  t.equal(readWavHeader(Buffer.from('{"message":"Recording not found"}')), undefined);
  t.equal(readWavHeader(silentWav(100).subarray(0, 30)), undefined, 'cut short in fmt');
  const noFmt = silentWav(100);
  noFmt.write('junk', 12, 'ascii');
  t.equal(readWavHeader(noFmt), undefined, 'data without fmt');
});
