import * as environment from "@taskseq/environment";
import * as model from "@taskseq/model";
import { describeReadmeBlocks } from "../../../test/helpers/readme-blocks.js";

describeReadmeBlocks(new URL("../README.md", import.meta.url), { ...model, ...environment }, { blocks: 6, checks: 23 });
