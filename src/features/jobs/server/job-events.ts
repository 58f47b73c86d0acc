import { EventEmitter } from "node:events";

/**
 * In-process notifications that a job changed, so SSE streams in the same process answer at once.
 * Streams also poll the database, which covers workers running in other processes.
 */
export class JobEvents {
  private readonly emitter = new EventEmitter().setMaxListeners(0);

  notify(jobId: string): void {
    this.emitter.emit(jobId);
  }

  subscribe(jobId: string, listener: () => void): () => void {
    this.emitter.on(jobId, listener);
    return () => this.emitter.off(jobId, listener);
  }
}
