// Draws the SettleDesk icon (a rounded blue tile, three ledger lines and a green tick) straight
// into PNG bytes, so the packaging icons in build/ can be regenerated without an image editor:
// `node scripts/make-icons.js`. Sizes: 512 (Linux, macOS source) and 256 (Windows' largest).
import { mkdirSync, writeFileSync } from 'node:fs';
import { deflateSync, crc32 } from 'node:zlib';

const SIZES_PX = [512, 256];
const BLUE = [0x1f, 0x4e, 0x8c];
const WHITE = [0xf4, 0xf7, 0xfb];
const GREEN = [0x2e, 0xb8, 0x72];

/** Signed distance from point (px, py) to the segment (ax, ay)-(bx, by). */
function segmentDistance(px, py, ax, ay, bx, by) {
  const dx = bx - ax;
  const dy = by - ay;
  const t = Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(px - (ax + t * dx), py - (ay + t * dy));
}

/** RGBA of one pixel, with coordinates in units of the icon (0..1). */
function shade(x, y) {
  // Rounded square tile with a transparent margin, as desktop icon guidelines ask.
  const margin = 0.06;
  const radius = 0.18;
  const cx = Math.min(Math.max(x, margin + radius), 1 - margin - radius);
  const cy = Math.min(Math.max(y, margin + radius), 1 - margin - radius);
  if (Math.hypot(x - cx, y - cy) > radius) return [0, 0, 0, 0];
  const tick = Math.min(segmentDistance(x, y, 0.52, 0.7, 0.62, 0.8), segmentDistance(x, y, 0.62, 0.8, 0.82, 0.56));
  if (tick < 0.045) return [...GREEN, 255];
  for (const [lineY, lineEnd] of [[0.3, 0.78], [0.44, 0.78], [0.58, 0.46]]) {
    if (segmentDistance(x, y, 0.22, lineY, lineEnd, lineY) < 0.035) return [...WHITE, 255];
  }
  return [...BLUE, 255];
}

function chunk(type, data) {
  const typeAndData = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typeAndData));
  return Buffer.concat([length, typeAndData, crc]);
}

export function drawIconPng(sizePx) {
  const samples = 4; // 4x4 supersampling per pixel, so edges are smooth
  const rows = [];
  for (let row = 0; row < sizePx; row++) {
    const line = Buffer.alloc(1 + sizePx * 4); // filter byte 0 (none), then RGBA
    for (let col = 0; col < sizePx; col++) {
      const sum = [0, 0, 0, 0];
      for (let s = 0; s < samples * samples; s++) {
        const rgba = shade((col + ((s % samples) + 0.5) / samples) / sizePx, (row + (Math.floor(s / samples) + 0.5) / samples) / sizePx);
        // Premultiplied by alpha while averaging, so a transparent sample adds no colour.
        for (let c = 0; c < 3; c++) sum[c] += rgba[c] * rgba[3];
        sum[3] += rgba[3];
      }
      const alpha = sum[3] / (samples * samples);
      for (let c = 0; c < 3; c++) line[1 + col * 4 + c] = sum[3] === 0 ? 0 : Math.round(sum[c] / sum[3]);
      line[1 + col * 4 + 3] = Math.round(alpha);
    }
    rows.push(line);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(sizePx, 0);
  header.writeUInt32BE(sizePx, 4);
  header.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA, no interlace
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([signature, chunk('IHDR', header), chunk('IDAT', deflateSync(Buffer.concat(rows), { level: 9 })), chunk('IEND', Buffer.alloc(0))]);
}

mkdirSync('build/icons', { recursive: true });
for (const sizePx of SIZES_PX) {
  writeFileSync(`build/icons/${sizePx}x${sizePx}.png`, drawIconPng(sizePx));
}
// electron-builder's default icon for macOS and Windows (it converts to .icns/.ico itself).
writeFileSync('build/icon.png', drawIconPng(512));
