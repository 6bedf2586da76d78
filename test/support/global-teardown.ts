export default async function globalTeardown(): Promise<void> {
  const services = globalThis.__tollkeeperServices;
  globalThis.__tollkeeperServices = undefined;
  await services?.stop();
}
