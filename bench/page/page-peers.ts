/**
 * The peers the page runs beside ours: TF.js's WebGPU backend on the browser's adapter (the same
 * module the CLI uses, bench/peers/tfjs.ts, which needs nothing but navigator.gpu). A peer that
 * cannot start becomes a failed slot, shown in its column, rather than stopping the page.
 */
import { createTfjsPeer, TFJS_LAYOUT, tfjsSupports } from '../peers/tfjs.js';
import { failedSlot, type PeerSlot } from '../peers/peer.js';

export async function pagePeers(adapter: string): Promise<PeerSlot[]> {
  try {
    const peer = await createTfjsPeer(adapter);
    return [{ impl: peer.impl, layout: peer.layout, supports: peer.supports.bind(peer), peer }];
  } catch (e) {
    return [failedSlot('tfjs-webgpu', TFJS_LAYOUT, tfjsSupports, e)];
  }
}

export async function disposePeers(slots: readonly PeerSlot[]): Promise<void> {
  for (const slot of slots) await slot.peer?.dispose();
}
