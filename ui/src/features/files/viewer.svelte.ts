// Which file the in-app viewer shows, at which page, with which words marked. Opened from the
// Files section (Read) and from a search hit's "p. N"; the viewer component reads it.

import type { AttachedFile } from '../../lib/ipc/bindings';

export interface ViewerTarget {
  fileId: number;
  name: string;
  /** 1-based; the viewer clamps it to the document. */
  page: number;
  /** The search that led here (its words are marked on the page), or ''. */
  query: string;
}

class ViewerState {
  target = $state.raw<ViewerTarget | null>(null);

  /** Opens `file` at `page`, marking the words of `query`. */
  show(file: Pick<AttachedFile, 'id' | 'name'>, page = 1, query = '') {
    this.target = { fileId: file.id, name: file.name, page, query };
  }

  close() {
    this.target = null;
  }
}

export const viewer = new ViewerState();
