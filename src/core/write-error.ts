// A failed write names the file it was writing: Node's own message for a
// full disk ("ENOSPC: no space left on device, write") names none.
export class OutputWriteError extends Error {
  override name = 'OutputWriteError';

  constructor(
    readonly path: string,
    override readonly cause: unknown,
  ) {
    const code = (cause as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOSPC'
        ? 'the disk is full'
        : code === 'EDQUOT'
          ? 'the disk quota is exceeded'
          : code === 'EROFS'
            ? 'the file system is read-only'
            : code === 'EACCES' || code === 'EPERM'
              ? 'permission denied'
              : code === 'EIO'
                ? 'an I/O error'
                : (cause as Error).message;
    super(`cannot write ${path}: ${why}${code ? ` (${code})` : ''}; nothing was left behind`);
  }
}

/** Runs a write of `path`, turning its failure into an OutputWriteError naming the path. */
export function namingPath<T>(path: string, write: () => T): T {
  try {
    return write();
  } catch (err) {
    throw err instanceof OutputWriteError ? err : new OutputWriteError(path, err);
  }
}
