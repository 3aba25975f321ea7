/** The extraction context from a store: its gazetteer, alias table, blocs and control timeline. */
import { addDays } from '../core/dates.js';
import { ControlTimeline } from '../control/timeline.js';
import type { Store } from '../store/store.js';
import { buildExtractContext, type ExtractContext } from './extract.js';

export async function loadExtractContext(store: Store): Promise<ExtractContext> {
  const [places, actors, blocs, relations, observations] = await Promise.all([store.listPlaces(), store.listActors(), store.listBlocs(), store.listRelations(), store.listControlObservations()]);
  const timeline = new ControlTimeline(observations);
  return buildExtractContext(places, actors, blocs, relations, (place, date) => timeline.holdingAt(place, addDays(date, -1))?.actor ?? null);
}
