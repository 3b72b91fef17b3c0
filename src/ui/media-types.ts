/** Content types of the files the UI hands out by extension; anything else is an octet stream. */
export const TEXT_TYPES: ReadonlySet<string> = new Set(['.log', '.txt', '.json', '.csv', '.tsv', '.yaml', '.yml', '.md', '.toml']);

/** Raster images only: an SVG served as a page of its own could carry script. */
export const IMAGE_TYPES: Readonly<Record<string, string>> = { '.png': 'image/png', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.gif': 'image/gif' };
