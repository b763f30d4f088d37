// Blob keys of render outputs, built from ids only. A work item writes under a key unique to its job,
// item and lease, so a late or duplicate node can never overwrite another attempt's bytes.

export function itemOutputKey(
  jobOrSnapshotId: string,
  index: number,
  attempt: number,
  fencingToken: number | string,
  ext: string,
): string {
  return `renders/${jobOrSnapshotId}/${index}/${attempt}-${fencingToken}.${ext}`;
}

/** Where a job's verified output lives for good. */
export function jobOutputKey(jobId: string, ext: string): string {
  return `renders/${jobId}/output.${ext}`;
}

/** Every key of a job or snapshot starts with this (cleanup of cancelled and failed jobs). */
export function renderPrefix(id: string): string {
  return `renders/${id}/`;
}

const MIME: Record<string, string> = {
  mp4: 'video/mp4',
  webm: 'video/webm',
  gif: 'image/gif',
  png: 'image/png',
  jpg: 'image/jpeg',
  wav: 'audio/wav',
  mp3: 'audio/mpeg',
};

export function mimeOf(format: string): string {
  const mime = MIME[format];
  if (!mime) throw new Error(`no media type for format ${format}`);
  return mime;
}
