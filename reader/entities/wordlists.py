"""Closed classes of English words that decide where a name starts and ends and what it is.

These are grammar, not knowledge of any text: determiners, prepositions and the like never
begin a name; titles come before a person's name but are not part of it; the head noun of
"Bank of England" or "Carnegie Hall" says what kind of thing the name stands for. Every set
holds lower-case words unless it says otherwise; callers compare ``word.lower()``.
"""

from __future__ import annotations


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Words that begin a sentence or a phrase but never a name: "Behind Kutuzov", "Sometimes
# Pierre", "a Count Rostov". Capitalised, they are stripped only where capitals say nothing
# (the start of a sentence); in lower case, anywhere.
FUNCTION_WORDS = _words(
    """
    a an the this that these those my your his her its our their some any every each no
    either neither another such what which whose whatever whichever
    in at on to from by with without for of into onto upon over under behind before after
    near beside besides between among amongst through throughout across against during
    since until till about above below beneath beyond inside outside toward towards around
    along within via per despite unlike like than except
    and but or nor so yet then when while whilst if as because though although unless whereas
    once where wherever whenever whether
    sometimes often also only even still just now here there perhaps maybe meanwhile
    suddenly finally later soon again already always never ever instead otherwise
    nevertheless nonetheless however moreover furthermore thus hence therefore indeed
    certainly surely probably possibly really quite very rather almost nearly merely simply
    today yesterday tomorrow tonight afterwards afterward presently immediately gradually
    yes oh ah alas well hello hey hurrah dear poor
    he she it they we you i him them me us who whom thou thee thy thine ye
    not all both many most much more few several one two three
    is was were are be been being has have had do does did will would shall should can
    could may might must
    """
)

# Pronouns and possessives: capitalised, alone, they are still not names ("Thou").
PRONOUNS = _words(
    """
    i you he she it we they me him her us them thou thee thy thine ye my your his its our
    their this that these those who whom whose
    """
)

# Adjectives that begin a sentence before a person's name but are not part of it ("Young
# Rostov", "Little Tushin", "Poor Natasha"). Only stripped from people's names: "Little Rock"
# and "Great Britain" are places.
PERSON_ADJECTIVES = _words(
    """
    young old little great good poor dear big tall short fat thin handsome pretty beautiful
    kind wise brave holy blessed sweet darling beloved late
    """
)

# Lower-case particles that belong inside (or at the start of) a name: "Ludwig van
# Beethoven", "de Gaulle", "Alexander the Great", "Bank of England", "Pretty & Co".
NAME_PARTICLES = _words(
    """
    of the and & for on upon de du des da di del della dei la le les van von der den ter
    y al el bin ibn bint ben dos das do e zu af av
    """
)

# Particles that join the words of an organization's or a place's name but split two
# people's names, or a person from what follows: "Napoleon the Order of St. Andrew".
PERSON_BREAKERS = _words("of the and & or for on upon")

# Titles and honorifics: before a person's name, never part of its identity ("Prince
# Andrew" and "Andrew" are one person). Compared without a final full stop.
TITLES = _words(
    """
    mr mrs ms miss mx dr doctor prof professor sir madam madame mme mademoiselle mlle
    monsieur m messrs dame lady lord master
    herr frau fraulein fräulein señor senor señora senora señorita don doña signor signora
    prince princess count countess duke duchess archduke archduchess grand marquis marquess
    marchioness baron baroness earl viscount viscountess knight
    king queen emperor empress tsar czar tsarina tsarevich kaiser sultan shah emir sheikh
    pharaoh pope cardinal archbishop bishop father reverend rev pastor rabbi imam ayatollah
    brother sister mother abbot abbess friar deacon
    president vice premier chancellor minister secretary ambassador senator congressman
    congresswoman representative rep sen gov governor mayor councillor councilor alderman
    judge justice magistrate attorney prosecutor sheriff commissioner chairman chairwoman
    chair director ceo
    general gen colonel col major maj captain capt lieutenant lt sergeant sgt corporal cpl
    private pvt admiral adm commander cmdr commodore marshal field officer cadet ensign
    hetman ataman
    uncle aunt auntie granny grandma grandpa grandfather grandmother nanny
    foreign prime deputy acting former late chief
    """
)

# Words that are only a way of addressing or naming a relative: alone they are not a name.
ADDRESS_WORDS = _words(
    """
    mamma mama mum mom mommy mummy ma papa pa dad daddy uncle aunt auntie granny grandma
    grandpa grandfather grandmother nanny nurse sir madam madame monsieur mademoiselle miss
    master mistress lady lord sovereign majesty highness excellency lordship ladyship
    honour honor reverence holiness god lord
    """
)

# After a name: qualifications and honours that are not part of it ("Zaha Hadid DBE RA").
POST_NOMINALS = frozenset(
    "PhD Ph.D. MD M.D. DBE CBE OBE MBE KBE GBE RA QC KC MP MEP FRS Esq Esq. BA MA MSc BSc "
    "DPhil LLD DD".split()
)

# "Jr." and "III" end a name but are not its surname.
NAME_SUFFIXES = frozenset({"Jr", "Jr.", "Sr", "Sr.", "II", "III", "IV", "V", "VI"})

# Abbreviations whose full stop does not end a sentence (compared without the stop, any case).
ABBREVIATIONS = _words(
    """
    mr mrs ms dr prof st ste mt ft jr sr inc ltd co corp bros gen col capt lt sgt maj adm
    gov sen rep rev hon no nos vs etc al fig figs vol ed eds pp ca approx dept univ ave blvd
    rd jan feb mar apr jun jul aug sep sept oct nov dec mme mlle messrs esq
    """
)

# The head noun of a name says what it names ("Bank of England" is a bank, "Carnegie Hall" a
# building). Facilities and geographical features are places, as in the gold conventions of
# the quality benchmark and in OntoNotes' FAC/LOC.
PLACE_HEADS = _words(
    """
    street st avenue ave road rd boulevard lane way drive highway motorway square plaza
    bridge tunnel park garden gardens zoo cemetery airport station port harbour harbor
    stadium arena hall theatre theater museum gallery hotel tower castle palace cathedral
    abbey temple mosque synagogue monastery fort fortress market mall
    river lake sea ocean bay gulf strait channel canal island islands isle peninsula coast
    beach cape mountain mountains mount hill hills valley desert forest falls canyon glacier
    volcano plain plains plateau reef lagoon swamp marsh delta
    city town village county province region district state states republic kingdom empire
    territory oblast prefecture borough parish
    """
)
ORGANIZATION_HEADS = _words(
    """
    university college school academy institute institution association society union
    council committee commission agency department ministry office bureau corporation corp
    inc incorporated ltd limited llc plc gmbh company co group party bank foundation
    federation confederation league club team army navy force forces police guard guards
    court parliament congress senate assembly government administration board church
    press times post news journal herald tribune gazette magazine review lab laboratory
    laboratories library orchestra choir band services authority organization organisation
    network channel studios records airlines airways motors systems technologies
    industries partners associates brigade regiment division battalion corps fund trust
    """
)
# Awards, events and laws: names, but not of people, places or organizations.
OTHER_HEADS = _words(
    """
    award awards prize prizes medal medals trophy cup festival expo olympics olympiad games
    championship championships tournament war wars battle revolution act acts treaty
    convention accord accords doctrine law bill amendment
    """
)

# Single generic words used as short names ("the Court", "the State"): on their own they do
# not name one particular organization or place a reader would look up.
GENERIC_NAMES = _words(
    """
    court state states union act group church academy government ministry department
    company council committee commission agency institute university college school party
    army navy republic kingdom empire city county province region district bureau board
    office center centre program programme project north south east west northeast
    northwest southeast southwest downtown uptown midtown centre city earth sun moon
    internet web world fatherland motherland homeland
    """
)

# Inverted attribution: '"..." said Sonya'. What comes after one of these is a speaker.
SPEECH_VERBS = _words(
    """
    said says asked asks replied replies answered answers cried exclaimed whispered
    shouted muttered murmured continued added remarked observed interrupted repeated
    declared explained insisted inquired enquired began thought thinks wrote writes
    responded retorted sighed laughed called screamed sobbed pleaded begged demanded
    """
)
# What only people do: "Natasha smiled" says Natasha is a person, whatever the model thought.
HUMAN_VERBS = _words(
    """
    smiled smiles laughed laughs wept weeps sighed sighs blushed blushes frowned frowns
    nodded nods shrugged shrugs whispered whispers thought felt knew exclaimed replied
    answered asked muttered murmured grinned grins winked winks kissed kisses married
    shouted screamed hesitated wondered remembered realized realised cried cries sobbed
    gasped groaned smiling laughing sighing blushing frowning nodding whispering
    """
)
# "Scientology officials", "the Twitter account": what follows names an organization's parts.
ORGANIZATION_FOLLOWERS = _words(
    """
    officials official spokesman spokeswoman spokesperson members leadership executives
    employees staff headquarters website account accounts users shareholders subscribers
    ceo chairman chairwoman board founder founders spokespeople
    """
)
# "in Athens", "near Exeter": what follows names a place far more often than anything else.
PLACE_PREPOSITIONS = _words("in near across throughout outside inside around via within")

# Era and calendar markers the model takes for organizations ("1230 BC").
ERA_MARKERS = frozenset("BC BCE AD CE AH BP".split())
