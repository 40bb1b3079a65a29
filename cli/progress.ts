// Progress for people: a bar (cli-progress) for work of known size, a spinner line for waits; on stderr, and only
// on a terminal without --json, so scripts and pipes get clean output.
import { Presets, SingleBar } from 'cli-progress';
import type { Io } from './output.ts';

export interface Progress {
  /** one more done; `note` replaces the status text */
  tick(note?: string): void;
  /** the status text of a wait */
  note(text: string): void;
  stop(): void;
}

const silent: Progress = { tick() {}, note() {}, stop() {} };

/** A bar of `total` steps, shown when `show`. */
export function bar(io: Io, show: boolean, total: number, label: string): Progress {
  if (!show || !io.tty) return silent;
  const b = new SingleBar(
    { format: `${label} [{bar}] {value}/{total} {note}`, stream: process.stderr, hideCursor: true },
    Presets.shades_classic,
  );
  b.start(total, 0, { note: '' });
  return {
    tick: (note) => b.increment(1, note === undefined ? {} : { note }),
    note: (text) => b.update({ note: text }),
    stop: () => b.stop(),
  };
}

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/** A spinner with a status text, for a wait of unknown length. */
export function spinner(io: Io, show: boolean, label: string): Progress {
  if (!show || !io.tty) return silent;
  let frame = 0;
  let text = '';
  let stopped = false;
  const draw = () => io.err(`\r\x1b[2K${FRAMES[frame++ % FRAMES.length]} ${label} ${text}`);
  const timer = setInterval(draw, 120);
  draw();
  return {
    tick: (note) => {
      if (note !== undefined) text = note;
    },
    note: (t) => {
      text = t;
    },
    stop: () => {
      if (stopped) return;
      stopped = true;
      clearInterval(timer);
      io.err('\r\x1b[2K');
    },
  };
}
