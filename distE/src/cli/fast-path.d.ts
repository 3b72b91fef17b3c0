export interface PlainRun {
    readonly dir: string;
    readonly jobs: number;
    readonly verbose: boolean;
}
/** Whether the run was a no-op, answered and recorded; false leaves it to the full CLI. */
export declare function answeredAsNoOp(run: PlainRun): Promise<boolean>;
