"use client";

import { useEffect, useState } from "react";
import { api } from "../api/client";
import type { Generator } from "../api/types";
import { useErrorMessage } from "../api/use-error-message";
import { whileMounted } from "../api/while-mounted";

/** The category of the specialised generators: one use case each, with its own page. */
export const specialisedCategory = "generators";

/** The specialised generators, labelled in the user's language; null while loading. */
export function useSpecialisedGenerators(): { generators: Generator[] | null; error: string | null } {
  const errorMessage = useErrorMessage();
  const [generators, setGenerators] = useState<Generator[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(
    () =>
      whileMounted(
        api<{ generators: Generator[] }>("/api/v1/generators"),
        (body) => setGenerators(body.generators.filter((g) => g.category === specialisedCategory)),
        (e) => {
          setError(errorMessage(e));
          setGenerators([]);
        },
      ),
    [errorMessage],
  );
  return { generators, error };
}
