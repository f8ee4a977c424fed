import * as environment from "@taskseq/environment";
import * as script from "@taskseq/script";
import { describeReadmeBlocks } from "../../../test/helpers/readme-blocks.js";

describeReadmeBlocks(new URL("../README.md", import.meta.url), { ...environment, ...script }, { blocks: 7, checks: 17 });
