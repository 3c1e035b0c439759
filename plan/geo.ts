/** Geography of metros and regions: pure math, no I/O. */

export interface Coordinates {
  latitude: number;
  longitude: number;
}

const EARTH_RADIUS_KM = 6371;
const rad = (deg: number) => (deg * Math.PI) / 180;

/** Great-circle distance (haversine) in km. */
export function distanceKm(a: Coordinates, b: Coordinates): number {
  const dLat = rad(b.latitude - a.latitude);
  const dLon = rad(b.longitude - a.longitude);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(rad(a.latitude)) * Math.cos(rad(b.latitude)) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** Speed of light in fibre, km per ms (about two thirds of c): the nearest-edge estimate's default. */
export const FIBRE_KM_PER_MS = 200;

/** Round trip over `km` of fibre each way, in ms: the best any path of that length can do. */
export function fibreRoundTripMs(km: number, fibreKmPerMs: number = FIBRE_KM_PER_MS): number {
  return (2 * km) / fibreKmPerMs;
}

/**
 * The candidate nearest to `point` (great-circle), ties broken by `id` so the answer never depends
 * on input order; undefined when there is none.
 */
export function nearestTo<T extends Coordinates>(
  point: Coordinates,
  candidates: readonly T[],
  id: (c: T) => string,
): { candidate: T; km: number } | undefined {
  let nearest: { candidate: T; km: number } | undefined;
  for (const c of candidates) {
    const km = distanceKm(point, c);
    if (!nearest || km < nearest.km || (km === nearest.km && id(c) < id(nearest.candidate)))
      nearest = { candidate: c, km };
  }
  return nearest;
}
