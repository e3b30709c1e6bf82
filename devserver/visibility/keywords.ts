/**
 * Keyword tables of the SQL tokenizer the server uses (temporalio/sqlparser, a vitess fork).
 * RESERVED words cannot be bare column names (backquote them); every KEYWORD is backquoted
 * when the server prints a column name.
 */

const RESERVED_WORDS = `
_binary accessible add all alter analyze and as asc asensitive auto_increment before between
binary boolean both by call cascade case cast change check collate column condition constraint
continue convert create cross current_date current_time current_timestamp current_user cursor
database databases day_hour day_microsecond day_minute day_second dec declare default delayed
delete desc describe deterministic distinct distinctrow div drop each else elseif enclosed end
escape escaped exists exit explain extended false fetch float4 float8 for force from full
generated get grant group group_concat having high_priority hour_microsecond hour_minute
hour_second if ignore in index infile inner inout insensitive insert int1 int2 int3 int4 int8
interval into io_after_gtids is iterate join key kill leading leave left like limit linear
lines load localtime localtimestamp lock long loop low_priority master_bind match maxvalue
middleint minute_microsecond minute_second mod modifies natural next no_write_to_binlog not
null on optimizer_costs option optionally or order out outer outfile precision processlist
range read_write reads references regexp release rename repeat replace require resignal
restrict return revoke right rlike schema schemas second_microsecond select sensitive separator
set show signal specific sql sql_big_result sql_cache sql_calc_found_rows sql_no_cache
sql_small_result sqlexception sqlstate sqlwarning ssl starting starts_with stored straight_join
stream substr substring table tables terminated then to trailing true undo union unique unlock
update usage use using utc_date utc_time utc_timestamp values varcharacter varying virtual when
where while xor year_month`;

const NON_RESERVED_WORDS = `
against begin bigint bit blob bool char character charset comment commit committed date
datetime decimal double duplicate enum expansion float foreign fulltext geometry
geometrycollection global int integer isolation json key_block_size keys language
last_insert_id less level linestring longblob longtext mediumblob mediumint mediumtext mode
multilinestring multipoint multipolygon names nchar numeric offset only optimize partition
point polygon primary procedure query read real reorganize repair repeatable rollback
serializable session share signed smallint spatial start status text than time timestamp
tinyblob tinyint tinytext transaction trigger truncate uncommitted unsigned varbinary varchar
variables view vindex vindexes vitess_keyspaces vitess_shards vitess_tablets vschema_tables
with write year zerofill`;

function words(s: string): ReadonlySet<string> {
  return new Set(s.split(/\s+/).filter((w) => w !== ''));
}

export const RESERVED: ReadonlySet<string> = words(RESERVED_WORDS);
export const KEYWORDS: ReadonlySet<string> = new Set([...RESERVED, ...words(NON_RESERVED_WORDS)]);
