/**
 * Deps and outs that are URLs (`https://`, `s3://`, `remote://`, …) live outside the workspace, as
 * in DVC: never joined to a stage's folder, never a missing file, never linked or cached here.
 */

/** The schemes DVC reads as external locations. */
const EXTERNAL = /^(https?|s3|gs|azure|hdfs|webhdfs|ssh|remote|oss|gdrive):\/\//i;

export function isExternal(path: string): boolean {
  return EXTERNAL.test(path);
}

/** The scheme of an external path, lower case (`https`, `s3`, …). */
export function schemeOf(path: string): string {
  return path.slice(0, path.indexOf(':')).toLowerCase();
}
