/**
 * Public files the tests read, shipped in the repository under test/fixtures/ (sources and licences
 * in test/fixtures/README.md), so that a fresh clone runs every test that reads them.
 */
import { join } from 'node:path';
import { REPO } from './project.js';

export const FIXTURES = join(REPO, 'test/fixtures');
/** Real dvc.yaml projects from public repositories, one folder each, with MANIFEST.tsv. */
export const DVC_CORPUS = join(FIXTURES, 'dvc-corpus');
/** Kubeflow's PipelineSpec protobuf and compiled pipelines (kfp/), Argo's JSON schema and examples (argo/). */
export const REFERENCE = join(FIXTURES, 'reference');
