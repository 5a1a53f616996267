// What the Files section, a drop on a paper and a search hit's page link do, through the app's
// state (messages, reload) and the IPC layer.

import * as api from '../../lib/ipc/api';
import { app } from '../library/app.svelte';
import { viewer } from './viewer.svelte';
import { baseName } from './report';
import type { AttachReport } from '../../lib/ipc/bindings';

/** Attaches `paths` (chosen or dropped) to paper `paperId`, copied or linked as the settings
 *  say; the status line says what came in and why any file did not. */
export async function attachTo(paperId: number, paths: string[]): Promise<AttachReport | null> {
  if (paths.length === 0) return null;
  try {
    const r = await api.attachFiles(paperId, paths, app.settings?.attachBy === 'link');
    const n = r.attached.length;
    const failed = r.failed.map((f) => `${baseName(f.path)}: ${f.reason}`).join('; ');
    if (n === 0) {
      app.message = { text: `Nothing attached. ${failed}`, kind: 'error' };
    } else {
      const text = `Attached ${n} file${n === 1 ? '' : 's'}${failed ? `; not attached: ${failed}` : ''}`;
      app.message = { text, kind: failed ? 'error' : 'info', action: { label: 'Undo', run: () => void app.undo() } };
    }
    await app.reload();
    return r;
  } catch (e) {
    app.error(e);
    return null;
  }
}

/** "Attach file…": the native dialog, then attach. */
export async function chooseAndAttach(paperId: number) {
  try {
    const paths = await api.chooseFiles('attach');
    await attachTo(paperId, paths);
  } catch (e) {
    app.error(e);
  }
}

/** A search hit's "p. N": opens its file in the viewer at that page, the query's words marked. */
export async function openHitPage(paperId: number, fileId: number, page: number, query: string) {
  try {
    const file = (await api.files(paperId)).find((f) => f.id === fileId);
    if (!file) throw new Error('That file is no longer attached to this paper.');
    viewer.show(file, page, query);
  } catch (e) {
    app.error(e);
  }
}
