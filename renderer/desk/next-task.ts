/**
 * Yields to the event loop, so long work on the main thread runs as many short tasks the page can
 * paint and answer input between: a message, not a timer (timers are clamped in background pages).
 */
export function nextTask(): Promise<void> {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}
