/** Stops the moto server the global setup started (and only that one). */
export default async function teardown(): Promise<void> {
  const pid = Number(process.env['MOTO_PID']);
  if (!pid) return;
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    // already gone
  }
}
