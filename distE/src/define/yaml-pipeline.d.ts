import * as z from '../zod.js';
import { type SourcePosition } from '../errors.js';
import type { PipelineDeclaration, StageDeclaration } from './declaration.js';
import { type YamlSource } from './yaml-source.js';
/** A dvc.yaml stage. */
declare const stageSchema: z.ZodMiniObject<{
    cmd: z.ZodMiniUnion<readonly [z.ZodMiniString<string>, z.ZodMiniArray<z.ZodMiniString<string>>]>;
    desc: z.ZodMiniOptional<z.ZodMiniString<string>>;
    wdir: z.ZodMiniOptional<z.ZodMiniString<string>>;
    deps: z.ZodMiniOptional<z.ZodMiniArray<z.ZodMiniString<string>>>;
    params: z.ZodMiniOptional<z.ZodMiniArray<z.ZodMiniUnion<readonly [z.ZodMiniString<string>, z.ZodMiniRecord<z.ZodMiniString<string>, z.ZodMiniUnion<readonly [z.ZodMiniNull, z.ZodMiniArray<z.ZodMiniString<string>>]>>]>>>;
    outs: z.ZodMiniOptional<z.ZodMiniArray<z.ZodMiniUnion<readonly [z.ZodMiniString<string>, z.ZodMiniRecord<z.ZodMiniString<string>, z.ZodMiniUnion<readonly [z.ZodMiniNull, z.ZodMiniObject<{
        cache: z.ZodMiniOptional<z.ZodMiniBoolean<boolean>>;
        persist: z.ZodMiniOptional<z.ZodMiniBoolean<boolean>>;
        desc: z.ZodMiniOptional<z.ZodMiniString<string>>;
        push: z.ZodMiniOptional<z.ZodMiniBoolean<boolean>>;
        remote: z.ZodMiniOptional<z.ZodMiniString<string>>;
        type: z.ZodMiniOptional<z.ZodMiniString<string>>;
        labels: z.ZodMiniOptional<z.ZodMiniArray<z.ZodMiniString<string>>>;
        meta: z.ZodMiniOptional<z.ZodMiniUnknown>;
        x: z.ZodMiniOptional<z.ZodMiniUnknown>;
        y: z.ZodMiniOptional<z.ZodMiniUnknown>;
        template: z.ZodMiniOptional<z.ZodMiniString<string>>;
        title: z.ZodMiniOptional<z.ZodMiniString<string>>;
        x_label: z.ZodMiniOptional<z.ZodMiniString<string>>;
        y_label: z.ZodMiniOptional<z.ZodMiniString<string>>;
        header: z.ZodMiniOptional<z.ZodMiniBoolean<boolean>>;
    }, z.core.$strict>]>>]>>>;
    metrics: z.ZodMiniOptional<z.ZodMiniArray<z.ZodMiniUnion<readonly [z.ZodMiniString<string>, z.ZodMiniRecord<z.ZodMiniString<string>, z.ZodMiniUnion<readonly [z.ZodMiniNull, z.ZodMiniObject<{
        cache: z.ZodMiniOptional<z.ZodMiniBoolean<boolean>>;
        persist: z.ZodMiniOptional<z.ZodMiniBoolean<boolean>>;
        desc: z.ZodMiniOptional<z.ZodMiniString<string>>;
        push: z.ZodMiniOptional<z.ZodMiniBoolean<boolean>>;
        remote: z.ZodMiniOptional<z.ZodMiniString<string>>;
        type: z.ZodMiniOptional<z.ZodMiniString<string>>;
        labels: z.ZodMiniOptional<z.ZodMiniArray<z.ZodMiniString<string>>>;
        meta: z.ZodMiniOptional<z.ZodMiniUnknown>;
        x: z.ZodMiniOptional<z.ZodMiniUnknown>;
        y: z.ZodMiniOptional<z.ZodMiniUnknown>;
        template: z.ZodMiniOptional<z.ZodMiniString<string>>;
        title: z.ZodMiniOptional<z.ZodMiniString<string>>;
        x_label: z.ZodMiniOptional<z.ZodMiniString<string>>;
        y_label: z.ZodMiniOptional<z.ZodMiniString<string>>;
        header: z.ZodMiniOptional<z.ZodMiniBoolean<boolean>>;
    }, z.core.$strict>]>>]>>>;
    plots: z.ZodMiniOptional<z.ZodMiniArray<z.ZodMiniUnion<readonly [z.ZodMiniString<string>, z.ZodMiniRecord<z.ZodMiniString<string>, z.ZodMiniUnion<readonly [z.ZodMiniNull, z.ZodMiniObject<{
        cache: z.ZodMiniOptional<z.ZodMiniBoolean<boolean>>;
        persist: z.ZodMiniOptional<z.ZodMiniBoolean<boolean>>;
        desc: z.ZodMiniOptional<z.ZodMiniString<string>>;
        push: z.ZodMiniOptional<z.ZodMiniBoolean<boolean>>;
        remote: z.ZodMiniOptional<z.ZodMiniString<string>>;
        type: z.ZodMiniOptional<z.ZodMiniString<string>>;
        labels: z.ZodMiniOptional<z.ZodMiniArray<z.ZodMiniString<string>>>;
        meta: z.ZodMiniOptional<z.ZodMiniUnknown>;
        x: z.ZodMiniOptional<z.ZodMiniUnknown>;
        y: z.ZodMiniOptional<z.ZodMiniUnknown>;
        template: z.ZodMiniOptional<z.ZodMiniString<string>>;
        title: z.ZodMiniOptional<z.ZodMiniString<string>>;
        x_label: z.ZodMiniOptional<z.ZodMiniString<string>>;
        y_label: z.ZodMiniOptional<z.ZodMiniString<string>>;
        header: z.ZodMiniOptional<z.ZodMiniBoolean<boolean>>;
    }, z.core.$strict>]>>]>>>;
    executor: z.ZodMiniOptional<z.ZodMiniEnum<{
        [x: string]: string;
    }>>;
    frozen: z.ZodMiniOptional<z.ZodMiniBoolean<boolean>>;
    always_changed: z.ZodMiniOptional<z.ZodMiniBoolean<boolean>>;
    meta: z.ZodMiniOptional<z.ZodMiniUnknown>;
}, z.core.$strict>;
/** A pipewright.yaml stage: dvc.yaml's, plus sweeps and the built-in collector. */
declare const pipewrightStageSchema: z.ZodMiniObject<{
    desc: z.ZodMiniOptional<z.ZodMiniString<string>>;
    wdir: z.ZodMiniOptional<z.ZodMiniString<string>>;
    deps: z.ZodMiniOptional<z.ZodMiniArray<z.ZodMiniString<string>>>;
    params: z.ZodMiniOptional<z.ZodMiniArray<z.ZodMiniUnion<readonly [z.ZodMiniString<string>, z.ZodMiniRecord<z.ZodMiniString<string>, z.ZodMiniUnion<readonly [z.ZodMiniNull, z.ZodMiniArray<z.ZodMiniString<string>>]>>]>>>;
    outs: z.ZodMiniOptional<z.ZodMiniArray<z.ZodMiniUnion<readonly [z.ZodMiniString<string>, z.ZodMiniRecord<z.ZodMiniString<string>, z.ZodMiniUnion<readonly [z.ZodMiniNull, z.ZodMiniObject<{
        cache: z.ZodMiniOptional<z.ZodMiniBoolean<boolean>>;
        persist: z.ZodMiniOptional<z.ZodMiniBoolean<boolean>>;
        desc: z.ZodMiniOptional<z.ZodMiniString<string>>;
        push: z.ZodMiniOptional<z.ZodMiniBoolean<boolean>>;
        remote: z.ZodMiniOptional<z.ZodMiniString<string>>;
        type: z.ZodMiniOptional<z.ZodMiniString<string>>;
        labels: z.ZodMiniOptional<z.ZodMiniArray<z.ZodMiniString<string>>>;
        meta: z.ZodMiniOptional<z.ZodMiniUnknown>;
        x: z.ZodMiniOptional<z.ZodMiniUnknown>;
        y: z.ZodMiniOptional<z.ZodMiniUnknown>;
        template: z.ZodMiniOptional<z.ZodMiniString<string>>;
        title: z.ZodMiniOptional<z.ZodMiniString<string>>;
        x_label: z.ZodMiniOptional<z.ZodMiniString<string>>;
        y_label: z.ZodMiniOptional<z.ZodMiniString<string>>;
        header: z.ZodMiniOptional<z.ZodMiniBoolean<boolean>>;
    }, z.core.$strict>]>>]>>>;
    metrics: z.ZodMiniOptional<z.ZodMiniArray<z.ZodMiniUnion<readonly [z.ZodMiniString<string>, z.ZodMiniRecord<z.ZodMiniString<string>, z.ZodMiniUnion<readonly [z.ZodMiniNull, z.ZodMiniObject<{
        cache: z.ZodMiniOptional<z.ZodMiniBoolean<boolean>>;
        persist: z.ZodMiniOptional<z.ZodMiniBoolean<boolean>>;
        desc: z.ZodMiniOptional<z.ZodMiniString<string>>;
        push: z.ZodMiniOptional<z.ZodMiniBoolean<boolean>>;
        remote: z.ZodMiniOptional<z.ZodMiniString<string>>;
        type: z.ZodMiniOptional<z.ZodMiniString<string>>;
        labels: z.ZodMiniOptional<z.ZodMiniArray<z.ZodMiniString<string>>>;
        meta: z.ZodMiniOptional<z.ZodMiniUnknown>;
        x: z.ZodMiniOptional<z.ZodMiniUnknown>;
        y: z.ZodMiniOptional<z.ZodMiniUnknown>;
        template: z.ZodMiniOptional<z.ZodMiniString<string>>;
        title: z.ZodMiniOptional<z.ZodMiniString<string>>;
        x_label: z.ZodMiniOptional<z.ZodMiniString<string>>;
        y_label: z.ZodMiniOptional<z.ZodMiniString<string>>;
        header: z.ZodMiniOptional<z.ZodMiniBoolean<boolean>>;
    }, z.core.$strict>]>>]>>>;
    plots: z.ZodMiniOptional<z.ZodMiniArray<z.ZodMiniUnion<readonly [z.ZodMiniString<string>, z.ZodMiniRecord<z.ZodMiniString<string>, z.ZodMiniUnion<readonly [z.ZodMiniNull, z.ZodMiniObject<{
        cache: z.ZodMiniOptional<z.ZodMiniBoolean<boolean>>;
        persist: z.ZodMiniOptional<z.ZodMiniBoolean<boolean>>;
        desc: z.ZodMiniOptional<z.ZodMiniString<string>>;
        push: z.ZodMiniOptional<z.ZodMiniBoolean<boolean>>;
        remote: z.ZodMiniOptional<z.ZodMiniString<string>>;
        type: z.ZodMiniOptional<z.ZodMiniString<string>>;
        labels: z.ZodMiniOptional<z.ZodMiniArray<z.ZodMiniString<string>>>;
        meta: z.ZodMiniOptional<z.ZodMiniUnknown>;
        x: z.ZodMiniOptional<z.ZodMiniUnknown>;
        y: z.ZodMiniOptional<z.ZodMiniUnknown>;
        template: z.ZodMiniOptional<z.ZodMiniString<string>>;
        title: z.ZodMiniOptional<z.ZodMiniString<string>>;
        x_label: z.ZodMiniOptional<z.ZodMiniString<string>>;
        y_label: z.ZodMiniOptional<z.ZodMiniString<string>>;
        header: z.ZodMiniOptional<z.ZodMiniBoolean<boolean>>;
    }, z.core.$strict>]>>]>>>;
    executor: z.ZodMiniOptional<z.ZodMiniEnum<{
        [x: string]: string;
    }>>;
    frozen: z.ZodMiniOptional<z.ZodMiniBoolean<boolean>>;
    always_changed: z.ZodMiniOptional<z.ZodMiniBoolean<boolean>>;
    meta: z.ZodMiniOptional<z.ZodMiniUnknown>;
    cmd: z.ZodMiniOptional<z.ZodMiniUnion<readonly [z.ZodMiniString<string>, z.ZodMiniArray<z.ZodMiniString<string>>]>>;
    collect: z.ZodMiniOptional<z.ZodMiniString<string>>;
    sweep: z.ZodMiniOptional<z.ZodMiniObject<{
        samples: z.ZodMiniOptional<z.ZodMiniInt>;
        seed: z.ZodMiniOptional<z.ZodMiniInt>;
        space: z.ZodMiniRecord<z.ZodMiniString<string>, z.ZodMiniUnknown>;
    }, z.core.$strict>>;
}, z.core.$strict>;
export type StageYaml = z.infer<typeof stageSchema> & Partial<Pick<z.infer<typeof pipewrightStageSchema>, 'collect' | 'sweep'>>;
export { stageSchema };
export declare const DEFAULT_PARAMS_FILE = "params.yaml";
export declare function loadYamlPipeline(file: string): PipelineDeclaration;
/**
 * One stage of a pipewright.yaml or (already templated) dvc.yaml. `sourcePath` is where it was
 * written in the file: a generated stage points at the template it came from.
 */
export declare function yamlStage(name: string, yaml: StageYaml, source: YamlSource, paramFiles: ParamFiles, sourcePath?: (string | number)[], 
/** False for dvc.yaml, whose templating is done before: its commands are final. */
paramsInCommand?: boolean, 
/** The command as written before templating, when that happened elsewhere (dvc.yaml). */
writtenCommand?: string): StageDeclaration;
/** Params files of one pipeline, read once each. */
export declare class ParamFiles {
    private readonly root;
    private readonly overrides;
    private readonly cache;
    constructor(root: string, overrides: Readonly<Record<string, unknown>>);
    filesRead(): string[];
    read(file: string, where: SourcePosition): unknown;
}
/** A params file's data: YAML or JSON, TOML, or the literal assignments of a Python file. */
export declare function readParamsData(abs: string, where: SourcePosition): unknown;
