/**
 * The demo's coarse road network: the main highways of Syria as chains of the demo's places, so that a
 * race runs without any download. Each road is drawn place to place (straight lines), with its class.
 * Written by the project from public maps: OpenStreetMap's road network (openstreetmap.org, ODbL) and
 * the Wikipedia articles on Syria's motorways, as cited per road. For real work import an OSM extract
 * (docs/routing.md).
 */
export interface DemoRoad {
  name: string;
  class: 'motorway' | 'trunk' | 'primary' | 'secondary' | 'tertiary' | 'track';
  /** Place ids in order along the road. */
  via: string[];
  source: string;
  url: string;
}

const OSM = 'OpenStreetMap contributors, road network of Syria (openstreetmap.org), main roads as mapped';
const osmAt = (lat: number, lon: number, zoom = 9): string => `https://www.openstreetmap.org/#map=${zoom}/${lat}/${lon}`;

export const DEMO_ROADS: DemoRoad[] = [
  {
    name: 'M5 motorway (Jordan border – Damascus – Homs – Hama – Aleppo)',
    class: 'motorway',
    via: ['nasib', 'daraa', 'khirbet-ghazaleh', 'sanamayn', 'ghabaghib', 'kiswah', 'damascus', 'harasta', 'qutayfah', 'nabk', 'qara', 'hisyah', 'homs', 'talbiseh', 'rastan', 'hama', 'khan-shaykhun', 'maarat-al-numan', 'saraqib', 'aleppo'],
    source: 'Wikipedia, M5 motorway (Syria)',
    url: 'https://en.wikipedia.org/wiki/M5_motorway_(Syria)',
  },
  { name: 'M5 north (Aleppo – Azaz – Bab al-Salameh)', class: 'trunk', via: ['aleppo', 'marea', 'azaz', 'bab-al-salameh'], source: OSM, url: osmAt(36.45, 37.1) },
  {
    name: 'M4 (Latakia – Jisr al-Shughur – Saraqib)',
    class: 'trunk',
    via: ['latakia', 'haffah', 'jisr-al-shughur', 'saraqib'],
    source: 'Wikipedia, M4 motorway (Syria)',
    url: 'https://en.wikipedia.org/wiki/M4_motorway_(Syria)',
  },
  {
    name: 'M4 east (Aleppo – Manbij – Ain Issa – Tell Tamer – Qamishli)',
    class: 'trunk',
    via: ['aleppo', 'tadef', 'manbij', 'sarrin', 'ain-issa', 'tell-tamer', 'hasakah', 'qamishli'],
    source: 'Wikipedia, M4 motorway (Syria)',
    url: 'https://en.wikipedia.org/wiki/M4_motorway_(Syria)',
  },
  { name: 'M1 coastal (Homs – Tartus – Latakia)', class: 'motorway', via: ['homs', 'tell-kalakh', 'tartus', 'baniyas', 'jableh', 'latakia'], source: 'Wikipedia, M1 motorway (Syria)', url: 'https://en.wikipedia.org/wiki/M1_motorway_(Syria)' },
  { name: 'Aleppo – Raqqa highway (south of Lake Assad)', class: 'primary', via: ['aleppo', 'deir-hafer', 'maskanah', 'tabqa', 'raqqa'], source: OSM, url: osmAt(36.0, 38.0) },
  { name: 'Raqqa – Deir ez-Zor highway (Euphrates, south bank)', class: 'primary', via: ['raqqa', 'sabkhah', 'maadan', 'tibni', 'kasrah', 'deir-ez-zor'], source: OSM, url: osmAt(35.6, 39.6) },
  { name: 'Deir ez-Zor – Abu Kamal (Euphrates, south bank)', class: 'primary', via: ['deir-ez-zor', 'muhasan', 'mayadin', 'ashara', 'abu-kamal', 'abu-kamal-crossing'], source: OSM, url: osmAt(34.9, 40.5) },
  { name: 'Euphrates north bank (Busayrah – Hajin – al-Susah)', class: 'secondary', via: ['khusham', 'busayrah', 'dhiban', 'subaykhan', 'hajin', 'jalaa', 'susah'], source: OSM, url: osmAt(34.9, 40.6) },
  { name: 'Khabur road (Hasakah – Shaddadi – Busayrah)', class: 'primary', via: ['hasakah', 'shaddadi', 'busayrah'], source: OSM, url: osmAt(35.6, 40.6) },
  { name: 'Deir ez-Zor bridges and airport road', class: 'secondary', via: ['khusham', 'deir-ez-zor', 'deir-ez-zor-airbase'], source: OSM, url: osmAt(35.3, 40.15, 11) },
  { name: 'Palmyra – al-Sukhna – Deir ez-Zor', class: 'primary', via: ['palmyra', 'sukhnah', 'deir-ez-zor'], source: OSM, url: osmAt(35.0, 39.3) },
  { name: 'Homs – T4 – Palmyra', class: 'primary', via: ['homs', 'furqlus', 't4-airbase', 'palmyra'], source: OSM, url: osmAt(34.6, 37.4) },
  { name: 'Damascus – al-Dumayr – Palmyra', class: 'primary', via: ['damascus', 'dumayr', 'palmyra'], source: OSM, url: osmAt(34.0, 37.3) },
  { name: 'Damascus – Baghdad highway (to al-Tanf)', class: 'trunk', via: ['dumayr', 'al-tanf'], source: OSM, url: osmAt(33.6, 37.6) },
  { name: 'Palmyra – T-2 – Abu Kamal desert road', class: 'secondary', via: ['palmyra', 't2-station', 'abu-kamal'], source: OSM, url: osmAt(34.5, 39.6) },
  { name: 'al-Qaryatayn roads (to the M5 and to Palmyra)', class: 'secondary', via: ['hisyah', 'sadad', 'mahin', 'qaryatayn', 'palmyra'], source: OSM, url: osmAt(34.3, 37.3) },
  { name: 'Salamiyah – Ithriya – Khanasir – Aleppo (the government supply road)', class: 'secondary', via: ['hama', 'salamiyah', 'khanasir', 'safirah', 'aleppo'], source: OSM, url: osmAt(35.6, 37.3) },
  { name: 'Ithriya – Resafa – Tabqa', class: 'secondary', via: ['khanasir', 'resafa', 'jadin', 'tabqa'], source: OSM, url: osmAt(35.7, 38.3) },
  { name: 'Raqqa – Ain Issa – Tell Abyad', class: 'primary', via: ['raqqa', 'ain-issa', 'suluk', 'tell-abyad'], source: OSM, url: osmAt(36.3, 38.9) },
  { name: 'Manbij – Jarabulus; Manbij – Kobani', class: 'secondary', via: ['jarabulus', 'manbij', 'tishrin-dam', 'kobani'], source: OSM, url: osmAt(36.6, 38.1) },
  { name: 'Aleppo – al-Bab – Manbij', class: 'secondary', via: ['aleppo', 'al-bab', 'manbij'], source: OSM, url: osmAt(36.4, 37.6) },
  { name: 'Hasakah – Qamishli – Semalka, al-Hawl road', class: 'primary', via: ['al-hawl', 'hasakah'], source: OSM, url: osmAt(36.5, 41.0) },
  { name: 'Damascus – Quneitra', class: 'primary', via: ['damascus', 'qatana', 'khan-arnabah', 'quneitra'], source: OSM, url: osmAt(33.3, 36.0) },
  { name: 'Damascus – Suwayda; Daraa – Bosra – Suwayda', class: 'primary', via: ['kiswah', 'shahba', 'suwayda', 'busra-al-sham', 'daraa'], source: OSM, url: osmAt(32.7, 36.4) },
  { name: 'Idlib – Saraqib; Idlib – Jisr al-Shughur', class: 'secondary', via: ['jisr-al-shughur', 'idlib', 'saraqib'], source: OSM, url: osmAt(35.9, 36.6) },
  { name: 'Hama – Masyaf – Tartus hills', class: 'secondary', via: ['hama', 'masyaf', 'sheikh-badr', 'tartus'], source: OSM, url: osmAt(35.0, 36.2) },
  { name: 'Tabqa dam crossing and airbase road', class: 'secondary', via: ['tabqa-airbase', 'tabqa', 'tabqa-dam'], source: OSM, url: osmAt(35.84, 38.55, 11) },
];
