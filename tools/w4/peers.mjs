// SPDX-License-Identifier: MIT
// Runs the colour tracers people use on a list of PNGs, in process, and times each call.
//   node peers.mjs NODE_DIR OUT_DIR LIST_FILE
// NODE_DIR holds node_modules with @neplex/vectorizer (vtracer, preset Poster) and
// imagetracerjs (preset "default"). For every PNG path in LIST_FILE it writes
// OUT_DIR/<tool>/<stem>.svg and prints one TSV line: tool, stem, ms (the tracing call only,
// on already decoded RGBA pixels; node start-up and PNG decoding are not counted).
import { createRequire } from 'node:module';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { basename, join } from 'node:path';

const [nodeDir, outDir, listFile, toolsArg] = process.argv.slice(2);
const require = createRequire(join(nodeDir, 'package.json'));
const vz = require('@neplex/vectorizer');
const tracer = require('imagetracerjs');
const tools = (toolsArg || 'vtracer,imagetracerjs').split(',');
for (const t of tools) mkdirSync(join(outDir, t), { recursive: true });

const files = readFileSync(listFile, 'utf8').split('\n').filter(Boolean);
for (const f of files) {
  const stem = basename(f).replace(/\.png$/, '');
  const img = vz.readImageSync(readFileSync(f));  // RGBA
  if (tools.includes('vtracer')) {
    // warm-up once per process is not needed for a native call; time the call itself
    const t0 = process.hrtime.bigint();
    const svg = vz.vectorizeRawSync(img.pixels, { width: img.width, height: img.height }, vz.Preset.Poster);
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    writeFileSync(join(outDir, 'vtracer', stem + '.svg'), svg);
    console.log(`vtracer\t${stem}\t${ms.toFixed(2)}`);
  }
  if (tools.includes('imagetracerjs')) {
    const data = { width: img.width, height: img.height, data: new Uint8ClampedArray(img.pixels) };
    const t0 = process.hrtime.bigint();
    const svg = tracer.imagedataToSVG(data, 'default');
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    writeFileSync(join(outDir, 'imagetracerjs', stem + '.svg'), svg);
    console.log(`imagetracerjs\t${stem}\t${ms.toFixed(2)}`);
  }
}
