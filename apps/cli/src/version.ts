import packageJson from '../package.json' with { type: 'json' };

/** The CLI's version: the package's, so a packed tarball and `--version` always agree. */
export const VERSION: string = packageJson.version;
