-- FHIR Patient search matches names whatever their case and accents, as the specification asks of string
-- parameters ("Nunez" finds Núñez). Each name is kept folded beside it (family_fold, given_fold,
-- middle_fold): FoldToAscii (domain/patients/name_match.h) — ASCII lower case, Latin letters with accents,
-- ligatures and ß folded to ASCII, combining accents dropped, typographic apostrophes and dashes made plain,
-- anything else kept. CareDesk writes them with the names (PatientRepository, the demo); this migration fills
-- them for the patients already there with caredesk_fold: on SQLite the C++ function, registered on every
-- connection CareDesk opens, on PostgreSQL the same mapping as SQL below, checked against the C++ for every
-- code point it folds (storage_test). The schema itself calls no function of CareDesk's, so the sqlite3 shell
-- can still read, write and check the database. The name indexes hold the folded names instead of the
-- lower-cased ones of migration 0021: prefixes, exact names (folded, then compared as sent) and the name order
-- all use them. A patient written by something other than CareDesk has no folded names until CareDesk
-- writes it, and is not found by name until then.
{{postgres}}
CREATE FUNCTION caredesk_fold(t text) RETURNS text LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
SELECT translate(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(t, 'Æ', 'ae'), 'Þ', 'th'), 'ß', 'ss'), 'æ', 'ae'), 'þ', 'th'), 'Ĳ', 'ij'), 'ĳ', 'ij'), 'Œ', 'oe'), 'œ', 'oe'), 'ẞ', 'ss'),
    'ABCDEFGHIJKLMNOPQRSTUVWXYZÀÁÂÃÄÅÇÈÉÊËÌÍÎÏÐÑÒÓÔÕÖØÙÚÛÜÝàáâãäåçèéêëìíîïðñòóôõöøùúûüýÿĀāĂăĄąĆćĈĉĊċČčĎďĐđĒēĔĕĖėĘęĚěĜĝĞğĠġĢģĤĥĦħĨĩĪīĬĭĮįİıĴĵĶķĸĹĺĻļĽľĿŀŁłŃńŅņŇňŉŊŋŌōŎŏŐőŔŕŖŗŘřŚśŜŝŞşŠšŢţŤťŦŧŨũŪūŬŭŮůŰűŲųŴŵŶŷŸŹźŻżŽžſȘșȚț‘’ʼ´‐‑‒–—― ̴̵̶̷̸̡̢̧̨̛̖̗̘̙̜̝̞̟̠̣̤̥̦̩̪̫̬̭̮̯̰̱̲̳̹̺̻̼͇͈͉͍͎̀́̂̃̄̅̆̇̈̉̊̋̌̍̎̏̐̑̒̓̔̽̾̿̀́͂̓̈́͆͊͋͌̕̚ͅ͏͓͔͕͖͙͚͐͑͒͗͛ͣͤͥͦͧͨͩͪͫͬͭͮͯ͘͜͟͢͝͞͠͡',
    'abcdefghijklmnopqrstuvwxyzaaaaaaceeeeiiiidnoooooouuuuyaaaaaaceeeeiiiidnoooooouuuuyyaaaaaaccccccccddddeeeeeeeeeegggggggghhhhiiiiiiiiiijjkkkllllllllllnnnnnnnnnoooooorrrrrrssssssssttttttuuuuuuuuuuuuwwyyyzzzzzzssstt''''''''------ ');
$$;
{{end}}
ALTER TABLE patients ADD COLUMN family_fold TEXT;
ALTER TABLE patients ADD COLUMN given_fold TEXT;
ALTER TABLE patients ADD COLUMN middle_fold TEXT;
UPDATE patients SET family_fold = caredesk_fold(family_name), given_fold = caredesk_fold(given_name),
                    middle_fold = caredesk_fold(middle_name);
DROP INDEX patients_family_lower;
DROP INDEX patients_given_lower;
DROP INDEX patients_middle_lower;
{{sqlite}}
CREATE INDEX patients_family_fold ON patients(family_fold);
CREATE INDEX patients_given_fold ON patients(given_fold);
CREATE INDEX patients_middle_fold ON patients(middle_fold);
{{postgres}}
CREATE INDEX patients_family_fold ON patients(family_fold COLLATE "C");
CREATE INDEX patients_given_fold ON patients(given_fold COLLATE "C");
CREATE INDEX patients_middle_fold ON patients(middle_fold COLLATE "C");
{{end}}
