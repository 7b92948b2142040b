// Checks on a PNG that went through a fake: the signature bytes, and the size its IHDR chunk gives.
import { expect } from 'vitest';

/** The eight bytes every PNG starts with. */
export const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Asserts `data` is a PNG (signature, then IHDR first) of `width`×`height` pixels. */
export function expectPng(data: Uint8Array, width: number, height: number): void {
  const png = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  expect(png.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
  expect(png.subarray(12, 16).toString('latin1')).toBe('IHDR');
  expect({ width: png.readUInt32BE(16), height: png.readUInt32BE(20) }).toEqual({ width, height });
}
