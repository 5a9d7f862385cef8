/**
 * The input: drop an image anywhere on the page, pick a file, or take the bundled sample. Each
 * choice becomes an RgbImage handed to `onImage`; a file that cannot be decoded is reported there
 * and the previous results stay.
 */
import { el } from '../bench/page/dom.js';
import { imageFromFile, type RgbImage } from './rgb-image.js';
import { sampleImage } from './sample-image.js';

export function inputPanel(onImage: (image: RgbImage) => void, onError: (message: string) => void): HTMLElement {
  const file = el('input', { type: 'file', accept: 'image/*', id: 'file-input' });
  const sample = el('button', { type: 'button', class: 'sample' }, 'Use the sample');
  const zone = el('div', { class: 'drop-zone' }, el('strong', {}, 'Drop an image here'), ' or ', el('label', { for: 'file-input', class: 'pick' }, 'pick a file'), file, ' · ', sample);

  const load = async (blob: File | undefined) => {
    if (!blob) return;
    try {
      onImage(await imageFromFile(blob));
    } catch (e) {
      onError(`Could not read ${blob.name || 'that file'} as an image: ${(e as Error).message}`);
    }
  };
  file.addEventListener('change', () => void load(file.files?.[0]));
  sample.addEventListener('click', () => onImage(sampleImage()));
  // The whole window is the drop target; the zone lights up while something is over it.
  window.addEventListener('dragover', (e) => {
    e.preventDefault();
    zone.classList.add('over');
  });
  window.addEventListener('dragleave', () => zone.classList.remove('over'));
  window.addEventListener('drop', (e) => {
    e.preventDefault();
    zone.classList.remove('over');
    void load(e.dataTransfer?.files[0]);
  });
  return zone;
}
