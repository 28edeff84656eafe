// Builds the deployable Lambda (dist/lambda/index.mjs + dist/lambda.zip) and the CLI
// (dist/cli/credential-lifecycle.mjs). The AWS SDK is bundled: the runtime's copy is not pinned
// and bundling cuts cold-start module resolution.
import { build } from 'esbuild';
import { readFile, rm, stat, writeFile } from 'node:fs/promises';
import { deflateRawSync, crc32 } from 'node:zlib';

// An ESM bundle of CommonJS SDK code calls require(); give it one.
const banner = { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" };
const common = { bundle: true, platform: 'node', target: 'node20', format: 'esm', banner, legalComments: 'none', logLevel: 'warning' };

await rm('dist/lambda', { recursive: true, force: true });
await build({ ...common, entryPoints: ['src/entrypoints/lambda/index.ts'], outfile: 'dist/lambda/index.mjs', minify: true, sourcemap: false });
await build({ ...common, entryPoints: ['src/entrypoints/cli/credential-lifecycle.ts'], outfile: 'dist/cli/credential-lifecycle.mjs' });

const code = await readFile('dist/lambda/index.mjs');
await writeFile('dist/lambda.zip', zip([{ name: 'index.mjs', data: code }]));
const sizes = await Promise.all(['dist/lambda/index.mjs', 'dist/lambda.zip', 'dist/cli/credential-lifecycle.mjs'].map(async (f) => `${f} ${(await stat(f)).size} bytes`));
console.log(sizes.join('\n'));

/** A minimal ZIP writer (deflate), so packaging needs no `zip` binary. */
function zip(files) {
  const locals = [];
  const centrals = [];
  let offset = 0;
  for (const { name, data } of files) {
    const nameBytes = Buffer.from(name, 'utf8');
    const compressed = deflateRawSync(data, { level: 9 });
    const crc = crc32(data);
    const header = (signature, extra) => {
      const b = Buffer.alloc(extra ? 46 : 30);
      b.writeUInt32LE(signature, 0);
      let p = 4;
      if (extra) { b.writeUInt16LE(0x0314, p); p += 2; } // made by Unix, so the file mode below counts
      b.writeUInt16LE(20, p); b.writeUInt16LE(0, p + 2); b.writeUInt16LE(8, p + 4); // version, flags, deflate
      b.writeUInt16LE(0, p + 6); b.writeUInt16LE(0x21, p + 8); // time, date (1980-01-01: reproducible)
      b.writeUInt32LE(crc, p + 10); b.writeUInt32LE(compressed.length, p + 14); b.writeUInt32LE(data.length, p + 18);
      b.writeUInt16LE(nameBytes.length, p + 22); b.writeUInt16LE(0, p + 24);
      if (extra) {
        b.writeUInt16LE(0, p + 26); b.writeUInt16LE(0, p + 28); b.writeUInt16LE(0, p + 30);
        b.writeUInt32LE((0o100644 << 16) >>> 0, p + 32); b.writeUInt32LE(offset, p + 36);
      }
      return b;
    };
    const local = Buffer.concat([header(0x04034b50, false), nameBytes, compressed]);
    centrals.push(Buffer.concat([header(0x02014b50, true), nameBytes]));
    locals.push(local);
    offset += local.length;
  }
  const central = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(files.length, 8); end.writeUInt16LE(files.length, 10);
  end.writeUInt32LE(central.length, 12); end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, central, end]);
}
