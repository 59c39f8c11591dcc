// Reads the pixels of an 8-bit RGB or RGBA PNG (what chromium's --screenshot writes) with node's zlib alone.
import assert from 'node:assert/strict';
import { inflateSync } from 'node:zlib';

export interface Pixels {
  width: number;
  height: number;
  /** 3 (RGB) or 4 (RGBA) bytes per pixel, row after row. */
  channels: 3 | 4;
  data: Buffer;
}

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Decodes a non-interlaced 8-bit RGB(A) PNG: IHDR, the IDAT stream inflated, each row's filter undone (PNG §9). */
export function decodePng(png: Buffer): Pixels {
  assert.ok(png.subarray(0, 8).equals(SIGNATURE), 'not a PNG');
  let offset = 8;
  let width = 0;
  let height = 0;
  let channels: 3 | 4 = 3;
  const idat: Buffer[] = [];
  while (offset < png.length) {
    const length = png.readUInt32BE(offset);
    const type = png.toString('latin1', offset + 4, offset + 8);
    const body = png.subarray(offset + 8, offset + 8 + length);
    if (type === 'IHDR') {
      width = body.readUInt32BE(0);
      height = body.readUInt32BE(4);
      const [depth, colour, , , interlace] = body.subarray(8, 13);
      assert.equal(depth, 8, 'only 8-bit PNGs');
      assert.ok(colour === 2 || colour === 6, `colour type ${colour} is not RGB or RGBA`);
      assert.equal(interlace, 0, 'only non-interlaced PNGs');
      channels = colour === 6 ? 4 : 3;
    } else if (type === 'IDAT') {
      idat.push(body);
    }
    offset += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  const data = Buffer.alloc(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]!;
    const row = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    for (let x = 0; x < stride; x++) {
      const a = x >= channels ? data[y * stride + x - channels]! : 0;
      const b = y > 0 ? data[(y - 1) * stride + x]! : 0;
      const c = x >= channels && y > 0 ? data[(y - 1) * stride + x - channels]! : 0;
      let predicted = 0;
      if (filter === 1) predicted = a;
      else if (filter === 2) predicted = b;
      else if (filter === 3) predicted = (a + b) >> 1;
      else if (filter === 4) {
        const p = a + b - c;
        const [pa, pb, pc] = [Math.abs(p - a), Math.abs(p - b), Math.abs(p - c)];
        predicted = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      }
      data[y * stride + x] = (row[x]! + predicted) & 0xff;
    }
  }
  return { width, height, channels, data };
}

/** How many pixels are not (near) white, and how many distinct colours the image has. */
export function inkStatistics(pixels: Pixels): { inked: number; total: number; colours: number } {
  const colours = new Set<number>();
  let inked = 0;
  const { data, channels } = pixels;
  for (let i = 0; i < data.length; i += channels) {
    const [r, g, b] = [data[i]!, data[i + 1]!, data[i + 2]!];
    colours.add((r << 16) | (g << 8) | b);
    if (r < 240 || g < 240 || b < 240) inked++;
  }
  return { inked, total: pixels.width * pixels.height, colours: colours.size };
}
