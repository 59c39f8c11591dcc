// The CLI in a real terminal: tmux panes of 80, 100 and 200 columns, read back as they are displayed.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { assertFits, widestColumns } from '../helpers/layout.js';
import { systemTest } from '../helpers/system.js';
import { runCommand } from './helpers/run-command.js';
import { privateTempDir } from './helpers/teardown.js';

const ROOT = new URL('../..', import.meta.url).pathname;
const LONG_NOTES = 'test/fixtures/layout/long-notes.yaml';
const WIDTHS = [80, 100, 200];
const COMMANDS = { demo: 'demo', long: `run ${LONG_NOTES}` };

/** A shell word, quoted. */
const quote = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`;

systemTest(
  'in a terminal of 80, 100 and 200 columns, every line fits as displayed and no word is left alone',
  { commands: ['tmux'] },
  async (t) => {
    // A tmux server of this test's own, on a socket in its own folder: no other tmux session is touched.
    const socket = join(privateTempDir(t), 'tmux.sock');
    const tmux = (...args: string[]) =>
      runCommand(['tmux', '-S', socket, '-f', '/dev/null', ...args], { timeoutMs: 60_000 });
    t.after(() => tmux('kill-server'));
    const panes = Object.entries(COMMANDS).flatMap(([name, args]) =>
      WIDTHS.map((width) => ({ name, width, session: `${name}-${width}`, args })),
    );
    // Panes stay open when their command ends, so they can be read; each says when it is done.
    const started = await tmux(
      'start-server',
      ';',
      'set-option',
      '-g',
      'remain-on-exit',
      'on',
      ';',
      'set-option',
      '-g',
      'history-limit',
      '5000',
      ...panes.flatMap(({ session, width, args }) => [
        ';',
        'new-session',
        '-d',
        '-s',
        session,
        '-x',
        String(width),
        '-y',
        '50',
        // COLUMNS says something else on purpose: the terminal's own width wins.
        `cd ${quote(ROOT)} && COLUMNS=137 node dist/cli.js ${args}; tmux -S ${quote(socket)} wait-for -S ${session}`,
      ]),
    );
    assert.equal(started.code, 0, started.stderr);
    await Promise.all(panes.map(({ session }) => tmux('wait-for', session)));
    for (const { name, width, session } of panes) {
      const capture = async (join: boolean) => {
        const run = await tmux(
          'capture-pane',
          '-p',
          ...(join ? ['-J'] : []),
          '-S',
          '-',
          '-E',
          '-',
          '-t',
          session,
        );
        assert.equal(run.code, 0, run.stderr);
        // tmux's own note on a pane whose command ended is not the CLI's output.
        return run.stdout.replace(/\n*Pane is dead \(.*\)\s*$/, '').replace(/\s+$/, '');
      };
      const displayed = await capture(false);
      // -J joins the rows the terminal wrapped: a printed line wider than the pane shows up here, whole.
      const printed = await capture(true);
      const what = `${name} in a ${width}-column terminal`;
      assert.equal(printed, displayed, `${what}: the terminal had to wrap a line`);
      assertFits(displayed, width, what);
      assert.match(displayed, /scenarios?: \d+ met/, `${what}: the run finished:\n${displayed}`);
      if (width === 200)
        assert.ok(widestColumns(displayed) > 137, `${what}: the terminal's width is used, not COLUMNS`);
      if (width === 80 && name === 'demo') {
        assert.equal(displayed.split('\n').filter((l) => /^connack\s/.test(l)).length, 2, displayed);
      }
    }
  },
);
