/**
 * For an effect's loads: hands the answer (or the failure) on only while the effect is current.
 * Returns the effect's cleanup, which drops answers that arrive later.
 */
export function whileMounted<T>(
  load: Promise<T>,
  onValue: (value: T) => void,
  onError: (error: unknown) => void,
): () => void {
  let active = true;
  load
    .then((value) => {
      if (active) onValue(value);
    })
    .catch((error: unknown) => {
      if (active) onError(error);
    });
  return () => {
    active = false;
  };
}
