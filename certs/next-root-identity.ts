/** The client identity issued under the next client root (the rotation drills write it into the kit). */
export const NEXT_ROOT_IDENTITY = 'next-root-valid';
