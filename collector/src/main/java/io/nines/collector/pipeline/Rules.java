package io.nines.collector.pipeline;

/** Per-item validity for one signal: what the streaming job could not use is refused at the door. */
interface Rules<R> {

    Checked<R> check(R request);
}
