/** Search attribute keys the conformance suite registers and uses (shared by workflows and tests). */
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

export const CF_KEYWORD = defineSearchAttributeKey('CfKeyword', SearchAttributeType.KEYWORD);
export const CF_TEXT = defineSearchAttributeKey('CfText', SearchAttributeType.TEXT);
export const CF_INT = defineSearchAttributeKey('CfInt', SearchAttributeType.INT);
export const CF_DOUBLE = defineSearchAttributeKey('CfDouble', SearchAttributeType.DOUBLE);
export const CF_BOOL = defineSearchAttributeKey('CfBool', SearchAttributeType.BOOL);
export const CF_DATETIME = defineSearchAttributeKey('CfDatetime', SearchAttributeType.DATETIME);
export const CF_KEYWORD_LIST = defineSearchAttributeKey('CfKeywordList', SearchAttributeType.KEYWORD_LIST);

export const CF_ALL_KEYS = [CF_KEYWORD, CF_TEXT, CF_INT, CF_DOUBLE, CF_BOOL, CF_DATETIME, CF_KEYWORD_LIST];
