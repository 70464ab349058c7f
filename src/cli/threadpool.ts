// Imported first by the command: sharp decodes on libuv's thread pool, which every loader worker thread shares
// and which has 4 threads unless sized before its first use. Give it one per core.
import * as os from 'node:os';

process.env.UV_THREADPOOL_SIZE ??= String(Math.max(4, os.availableParallelism()));
