'use client';

import { useCallback, useEffect, useRef, useState } from 'react';
import { call } from '@/lib/api/client';
import { ApiError } from '@/lib/api/errors';
import type { Aspect, Project, SceneEdit } from '@/lib/api/types';

/** Changes not yet saved: field values (null = back to the default), scene edits in order, aspect, name. */
export interface PendingChanges {
  fields: Record<string, unknown>;
  edits: SceneEdit[];
  aspect?: Aspect;
  name?: string;
}

export type SaveStatus = 'saved' | 'pending' | 'saving' | 'error' | 'conflict';

export function emptyChanges(): PendingChanges {
  return { fields: {}, edits: [] };
}

export function isEmpty(changes: PendingChanges): boolean {
  return (
    Object.keys(changes.fields).length === 0 &&
    changes.edits.length === 0 &&
    changes.aspect === undefined &&
    changes.name === undefined
  );
}

/** `later` on top of `earlier`: later values win, edits keep their order. */
export function mergeChanges(earlier: PendingChanges, later: Partial<PendingChanges>): PendingChanges {
  const merged: PendingChanges = {
    fields: { ...earlier.fields, ...(later.fields ?? {}) },
    edits: [...earlier.edits, ...(later.edits ?? [])],
  };
  const aspect = later.aspect ?? earlier.aspect;
  const name = later.name ?? earlier.name;
  if (aspect !== undefined) merged.aspect = aspect;
  if (name !== undefined) merged.name = name;
  return merged;
}

export function patchBody(changes: PendingChanges): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  if (Object.keys(changes.fields).length) body.fields = changes.fields;
  if (changes.edits.length) body.scene_edits = changes.edits;
  if (changes.aspect !== undefined) body.aspect = changes.aspect;
  if (changes.name !== undefined) body.name = changes.name;
  return body;
}

export interface AutosaveOptions {
  projectId: string;
  revision: number;
  delayMs?: number;
  /** A save went through; `settled` is false when newer local changes are still waiting. */
  onSaved: (project: Project, settled: boolean) => void;
}

/**
 * Debounced autosave with revisions: every PATCH carries `If-Match: "<revision>"`. A stale revision
 * is a conflict (another tab or person saved): nothing is overwritten until the person chooses to
 * reload theirs or to keep their own changes on top of it.
 */
export function useAutosave({ projectId, revision, delayMs = 700, onSaved }: AutosaveOptions) {
  const [status, setStatus] = useState<SaveStatus>('saved');
  const [error, setError] = useState<unknown>(null);
  const [conflict, setConflict] = useState<Project | null>(null);
  const pending = useRef<PendingChanges>(emptyChanges());
  const revisionRef = useRef(revision);
  const inflight = useRef(false);
  const blocked = useRef(false);
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);
  const savedCallback = useRef(onSaved);
  savedCallback.current = onSaved;

  const save = useCallback(async () => {
    clearTimeout(timer.current);
    if (inflight.current || blocked.current || isEmpty(pending.current)) return;
    const batch = pending.current;
    pending.current = emptyChanges();
    inflight.current = true;
    setStatus('saving');
    try {
      const { data } = await call<Project>(`/v1/projects/${projectId}`, {
        method: 'PATCH',
        body: patchBody(batch),
        ifMatch: `"${revisionRef.current}"`,
      });
      revisionRef.current = data.revision;
      inflight.current = false;
      const settled = isEmpty(pending.current);
      setError(null);
      savedCallback.current(data, settled);
      if (settled) setStatus('saved');
      else {
        setStatus('pending');
        timer.current = setTimeout(() => void save(), 0);
      }
    } catch (e) {
      inflight.current = false;
      pending.current = mergeChanges(batch, pending.current);
      if (e instanceof ApiError && e.status === 409 && e.code === 'revision_conflict') {
        blocked.current = true;
        const current = (e.details as { current?: Project } | undefined)?.current ?? null;
        setConflict(current);
        setStatus('conflict');
      } else {
        setError(e);
        setStatus('error');
      }
    }
  }, [projectId]);

  const queue = useCallback(
    (change: Partial<PendingChanges>) => {
      pending.current = mergeChanges(pending.current, change);
      if (blocked.current) return;
      setStatus((s) => (s === 'saving' ? s : 'pending'));
      clearTimeout(timer.current);
      timer.current = setTimeout(() => void save(), delayMs);
    },
    [delayMs, save],
  );

  /** Their version wins: unsaved changes are dropped. Returns the project to show. */
  const reload = useCallback((): Project | null => {
    const current = conflict;
    if (current) revisionRef.current = current.revision;
    pending.current = emptyChanges();
    blocked.current = false;
    setConflict(null);
    setStatus('saved');
    return current;
  }, [conflict]);

  /** My unsaved changes go on top of their version. Returns it and the changes to re-apply locally. */
  const overwrite = useCallback((): { current: Project | null; changes: PendingChanges } => {
    const current = conflict;
    if (current) revisionRef.current = current.revision;
    const changes = pending.current;
    blocked.current = false;
    setConflict(null);
    setStatus('pending');
    timer.current = setTimeout(() => void save(), 0);
    return { current, changes };
  }, [conflict, save]);

  useEffect(() => {
    // Leaving the page with unsaved changes: try once more, and let the browser warn.
    const onBeforeUnload = (event: BeforeUnloadEvent) => {
      if (!isEmpty(pending.current) || inflight.current) {
        void save();
        event.preventDefault();
      }
    };
    window.addEventListener('beforeunload', onBeforeUnload);
    return () => {
      window.removeEventListener('beforeunload', onBeforeUnload);
      clearTimeout(timer.current);
    };
  }, [save]);

  return {
    status,
    error,
    conflict,
    queue,
    retry: () => void save(),
    reload,
    overwrite,
    revision: () => revisionRef.current,
  };
}
