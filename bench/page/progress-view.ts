/** The progress bar and the line under it that names the measurement in flight. */
import { el } from './dom.js';

export class ProgressView {
  private readonly bar = el('progress', { max: '1', value: '0' });
  private readonly label = el('span', { class: 'progress-label' }, 'Starting…');
  private readonly counter = el('span', { class: 'progress-counter' });
  private readonly started = performance.now();
  readonly root: HTMLElement;

  constructor() {
    this.root = el('div', { class: 'progress', role: 'status', 'aria-live': 'polite' }, this.bar, el('div', { class: 'progress-text' }, this.label, this.counter));
  }

  /** `done` of `total` steps finished; `what` names the one in flight. */
  update(done: number, total: number, what: string): void {
    this.bar.max = Math.max(total, 1);
    this.bar.value = done;
    this.label.textContent = what;
    this.counter.textContent = `${done} / ${total} · ${this.elapsed()}`;
  }

  finish(summary: string): void {
    this.bar.value = this.bar.max;
    this.label.textContent = summary;
    this.counter.textContent = this.elapsed();
    this.root.classList.add('finished');
  }

  fail(): void {
    this.root.classList.add('failed');
  }

  private elapsed(): string {
    return `${((performance.now() - this.started) / 1000).toFixed(1)} s`;
  }
}
